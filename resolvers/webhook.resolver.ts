import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../src/graphql/context";
import { badUserInput } from "../src/graphql/errors";
import { toGlobalId } from "../src/graphql/globalId";
import { forwardPage, pageRequest } from "../src/read/paging/pages";
import { EndpointRefused, endpointUrl, resolveEndpoint } from "../src/webhooks/endpointAddress";
import * as store from "../src/webhooks/webhookStore";
import {
  CreatedWebhook,
  CreateWebhookInput,
  UpdateWebhookInput,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryConnection,
} from "./types/webhook";

function info(w: store.StoredWebhook): Webhook {
  return { id: String(w.id), url: w.url, events: w.events, description: w.description, createdAt: w.createdAt, updatedAt: w.updatedAt };
}

function delivery(d: store.StoredDelivery): WebhookDelivery {
  const { seq: _seq, deliveryId, articleId, ...rest } = d;
  return { ...rest, id: deliveryId, articleId: articleId === null ? null : toGlobalId("Article", articleId) };
}

function webhookIdOf(id: string, argument: string): number {
  if (!/^[1-9]\d{0,9}$/.test(id)) throw badUserInput(`${argument} "${id.slice(0, 20)}" is not a webhook id.`, argument);
  return Number(id);
}

/** The URL as it will be called, once its scheme and the addresses its host resolves to now are allowed. */
async function checkedUrl(raw: string, ctx: Context): Promise<string> {
  const settings = ctx.app.webhooks?.settings ?? ctx.app.config.webhooks;
  try {
    await resolveEndpoint(endpointUrl(raw), settings.allowPrivate);
  } catch (e) {
    if (e instanceof EndpointRefused) throw badUserInput(e.message, "url");
    throw e;
  }
  return raw;
}

const DELIVERY_ORDER = "webhook-delivery";

/** Webhook endpoints, for admins (README, Webhooks). */
@Resolver()
export class WebhookResolver {
  @Authorized(["admin"])
  @Query(() => [Webhook], { description: "Every webhook endpoint (admins only)." })
  async webhooks(@Ctx() ctx: Context): Promise<Webhook[]> {
    return (await store.listWebhooks(ctx.app.db.dataSource)).map(info);
  }

  @Authorized(["admin"])
  @Query(() => WebhookDeliveryConnection, { description: "An endpoint's deliveries, newest first, with their attempts (admins only)." })
  async webhookDeliveries(
    @Arg("webhookId", () => ID) webhookId: string,
    @Arg("first", () => Int, { nullable: true, description: "Page size (0 to 100; default 20)." }) first: number | null,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<WebhookDeliveryConnection> {
    const id = webhookIdOf(webhookId, "webhookId");
    const page = pageRequest({ first, after }, DELIVERY_ORDER, ctx.app.config);
    const ds = ctx.app.db.dataSource;
    if (!(await store.findWebhook(ds, id))) throw badUserInput("webhookId names no webhook.", "webhookId");
    const rows = await store.listDeliveries(ds, id, page.limit + 1, page.cursor ? page.cursor.id : null);
    return forwardPage(rows, page, (d) => ({ order: DELIVERY_ORDER, value: d.seq, id: d.seq }), delivery);
  }

  @Authorized(["admin"])
  @Mutation(() => CreatedWebhook, {
    description: "Registers an endpoint (admins only). Its signing secret is in the answer and nowhere else.",
  })
  async createWebhook(@Arg("input", () => CreateWebhookInput) input: CreateWebhookInput, @Ctx() ctx: Context): Promise<CreatedWebhook> {
    const url = await checkedUrl(input.url, ctx);
    const { webhook, secret } = await store.createWebhook(ctx.app.db.dataSource, {
      url,
      events: input.events,
      description: input.description ?? null,
    });
    return { webhook: info(webhook), secret };
  }

  @Authorized(["admin"])
  @Mutation(() => Webhook, { description: "Changes an endpoint (admins only); deliveries not yet made go to its new URL." })
  async updateWebhook(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateWebhookInput) input: UpdateWebhookInput,
    @Ctx() ctx: Context,
  ): Promise<Webhook> {
    const webhookId = webhookIdOf(id, "id");
    if (input.url === null) throw badUserInput("url cannot be cleared; delete the webhook instead.", "url");
    if (input.events === null) throw badUserInput("events cannot be cleared; delete the webhook instead.", "events");
    const ds = ctx.app.db.dataSource;
    if (!(await store.findWebhook(ds, webhookId))) throw badUserInput("id names no webhook.", "id");
    const url = input.url === undefined ? undefined : await checkedUrl(input.url, ctx);
    const updated = await store.updateWebhook(ds, webhookId, { url, events: input.events, description: input.description });
    if (!updated) throw badUserInput("id names no webhook.", "id");
    return info(updated);
  }

  @Authorized(["admin"])
  @Mutation(() => ID, { description: "Removes an endpoint and its deliveries (admins only); answers its id." })
  async deleteWebhook(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    if (!(await store.deleteWebhook(ctx.app.db.dataSource, webhookIdOf(id, "id")))) throw badUserInput("id names no webhook.", "id");
    return id;
  }
}
