import { Directive, Field, ID, InterfaceType } from "type-graphql";
import { CacheHint } from "../src/cache/hints";

@Directive(CacheHint.content)
@InterfaceType({ description: "An object with a global ID, fetchable with node(id:)." })
export abstract class Node {
  @Field(() => ID, { description: "Global ID; opaque, stable for the life of the object." })
  id!: string;
}
