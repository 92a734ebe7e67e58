import { Field, ID, InterfaceType } from "type-graphql";

@InterfaceType({ description: "An object with a global ID, fetchable with node(id:)." })
export abstract class Node {
  @Field(() => ID, { description: "Global ID; opaque, stable for the life of the object." })
  id!: string;
}
