import { IsIn, IsInt, Length, Matches, Max, Min } from "class-validator";
import { Field, ID, InputType, Int, ObjectType } from "type-graphql";

@ObjectType({ simpleResolvers: true, description: "An API key as admins see it; the secret itself is shown once, when it is made." })
export class ApiKeyInfo {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: "editor or admin." })
  role!: string;

  @Field(() => Int, { description: "Requests per minute the key may make." })
  rateLimit!: number;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType({ simpleResolvers: true })
export class CreatedApiKey {
  @Field({ description: "The secret to send as `Authorization: Bearer <key>`. It is stored only as a hash and never shown again." })
  key!: string;

  @Field(() => ApiKeyInfo)
  apiKey!: ApiKeyInfo;
}

@InputType()
export class CreateApiKeyInput {
  @Field({ description: "A unique name saying who uses the key, e.g. the front end's renderer." })
  @Length(1, 100)
  @Matches(/^[\p{L}\p{N} ._-]+$/u, { message: "name may hold letters, digits, spaces, dots, dashes and underscores only" })
  name!: string;

  @Field({ description: "editor or admin." })
  @IsIn(["editor", "admin"])
  role!: string;

  @Field(() => Int, { nullable: true, description: "Requests per minute; the configured default (KEY_RATE_LIMIT) when absent." })
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  rateLimit?: number | null;
}
