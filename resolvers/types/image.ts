import { ArrayMaxSize, IsNumber, Max, MaxLength, Min, ValidateNested } from "class-validator";
import { ArgsType, Directive, Field, Float, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { CacheHint } from "../../src/cache/hints";

export enum ImageFormat {
  JPEG = "JPEG",
  WEBP = "WEBP",
  AVIF = "AVIF",
}

registerEnumType(ImageFormat, { name: "ImageFormat", description: "Encoding of a rendition." });

@Directive(CacheHint.inherit)
@ObjectType({ simpleResolvers: true, description: "The point of a picture that crops keep in view; 0..1 from the left and from the top." })
export class FocalPoint {
  @Field(() => Float)
  x!: number;

  @Field(() => Float)
  y!: number;
}

@InputType()
export class FocalPointInput {
  @Field(() => Float, { description: "0 (left edge) to 1 (right edge)." })
  @IsNumber()
  @Min(0)
  @Max(1)
  x!: number;

  @Field(() => Float, { description: "0 (top edge) to 1 (bottom edge)." })
  @IsNumber()
  @Min(0)
  @Max(1)
  y!: number;
}

@InputType({ description: "Fields to change; absent fields stay as they are, null clears them." })
export class UpdateImageInput {
  @Field(() => String, { nullable: true })
  @MaxLength(1000)
  alt?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(5000)
  caption?: string | null;

  @Field(() => String, { nullable: true, description: 'Who made or supplied the picture, as in "Фото: gov.kz".' })
  @MaxLength(255)
  credit?: string | null;

  @Field(() => FocalPointInput, { nullable: true, description: "null moves it back to the centre." })
  @ValidateNested()
  focalPoint?: FocalPointInput | null;
}

@ArgsType()
export class SetArticleImagesArgs {
  @Field(() => ID)
  articleId!: string;

  @Field(() => [ID], { description: "Body image IDs in order; [] removes them all." })
  @ArrayMaxSize(100)
  imageIds!: string[];
}
