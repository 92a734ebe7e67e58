import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsIn, MaxLength } from "class-validator";
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { WEBHOOK_EVENTS, WebhookDeliveryStatus, WebhookEvent } from "../../src/webhooks/events";
import { PageInfo } from "./connection";

registerEnumType(WebhookEvent, {
  name: "WebhookEvent",
  description: "What a webhook endpoint can be told about; every event names one article that readers could see.",
  valuesConfig: {
    ARTICLE_PUBLISHED: { description: "A draft was published: readers can now see the article." },
    ARTICLE_UPDATED: { description: "A published article changed (text, date, slug, rubrics, hashtags, read-also list)." },
    ARTICLE_UNPUBLISHED: { description: "A published article went back to draft." },
    ARTICLE_DELETED: { description: "A published article was deleted." },
    LIVE_ENTRY_ADDED: { description: "A published live blog got a new entry." },
    PAGES_IMPORTED: { description: "An imported page created or changed its article (one delivery per page)." },
  },
});

registerEnumType(WebhookDeliveryStatus, {
  name: "WebhookDeliveryStatus",
  valuesConfig: {
    PENDING: { description: "Waiting for its first attempt or a retry (nextAttemptAt)." },
    DELIVERED: { description: "The endpoint answered 2xx." },
    FAILED: { description: "Still failing when its retry window (24 hours by default) closed; not attempted again." },
  },
});

@ObjectType({ simpleResolvers: true, description: "An endpoint that is sent signed POSTs when articles change (admins only)." })
export class Webhook {
  @Field(() => ID)
  id!: string;

  @Field()
  url!: string;

  @Field(() => [WebhookEvent])
  events!: WebhookEvent[];

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType({ simpleResolvers: true })
export class CreatedWebhook {
  @Field(() => Webhook)
  webhook!: Webhook;

  @Field({ description: "Signs every delivery (X-Newsgraph-Signature). Shown here once and never again." })
  secret!: string;
}

@ObjectType({ simpleResolvers: true, description: "One event sent (or to be sent) to an endpoint, with its attempts so far." })
export class WebhookDelivery {
  @Field(() => ID, { description: "The same on every attempt: the body's id and the X-Newsgraph-Delivery header." })
  id!: string;

  @Field(() => WebhookEvent)
  event!: WebhookEvent;

  @Field(() => ID, { nullable: true, description: "The article's global ID." })
  articleId!: string | null;

  @Field({ description: "The JSON body every attempt sends." })
  payload!: string;

  @Field(() => WebhookDeliveryStatus)
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { description: "Attempts made so far." })
  attempts!: number;

  @Field(() => Date, { nullable: true, description: "When it is attempted next; null once delivered or failed." })
  nextAttemptAt!: Date | null;

  @Field(() => Date, { nullable: true })
  lastAttemptAt!: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: "The HTTP status of the last answer; null when there was none (timeout, refused, unreachable).",
  })
  lastStatusCode!: number | null;

  @Field(() => String, { nullable: true, description: "Why the last attempt failed." })
  lastError!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  deliveredAt!: Date | null;
}

@ObjectType({ simpleResolvers: true })
export class WebhookDeliveryEdge {
  @Field()
  cursor!: string;

  @Field(() => WebhookDelivery)
  node!: WebhookDelivery;
}

@ObjectType({ simpleResolvers: true, description: "An endpoint's deliveries, newest first." })
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge])
  edges!: WebhookDeliveryEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

// The update input carries every field and its rules; the create input makes url and events required.
@InputType({ description: "Fields to change; absent fields stay as they are." })
export class UpdateWebhookInput {
  @Field(() => String, {
    nullable: true,
    description: "http:// or https:// URL that resolves to public addresses only (unless WEBHOOK_ALLOW_PRIVATE=true).",
  })
  @MaxLength(2048)
  url?: string | null;

  @Field(() => [WebhookEvent], { nullable: true })
  @ArrayMinSize(1, { message: "events must name at least one event" })
  @ArrayMaxSize(WEBHOOK_EVENTS.length)
  @ArrayUnique({ message: "events must not name an event twice" })
  @IsIn(WEBHOOK_EVENTS, { each: true })
  events?: WebhookEvent[] | null;

  @Field(() => String, { nullable: true, description: "What the endpoint is for, e.g. the CDN purge." })
  @MaxLength(500)
  description?: string | null;
}

@InputType()
export class CreateWebhookInput extends UpdateWebhookInput {
  @Field(() => String)
  declare url: string;

  @Field(() => [WebhookEvent])
  declare events: WebhookEvent[];
}
