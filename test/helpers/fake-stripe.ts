import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

/**
 * A local stand-in for the few Stripe API endpoints RootAPI calls, speaking the same wire format as
 * api.stripe.com (form-encoded requests with bracket notation, Stripe-shaped JSON objects and errors,
 * Idempotency-Key replay), so the real `stripe` SDK talks to it through STRIPE_API_BASE.
 *
 * Endpoints: POST /v1/customers, POST /v1/checkout/sessions, GET /v1/checkout/sessions/:id,
 * POST /v1/payment_intents (off-session confirm), GET /v1/payment_intents/:id (expand[]=latest_charge),
 * GET /v1/charges/:id. Plus GET /checkout/:id (a tiny hosted-checkout page with a Pay button) and
 * POST /checkout/:id/pay.
 *
 * Tests play the customer and Stripe's event system: payCheckout / succeedAsync / failAsync / refund
 * change the objects, event() wraps one in an Event, deliver() signs it with the SDK's own
 * generateTestHeaderString and POSTs it to the app's webhook.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Parsed form body (POST) or query (GET), bracket notation expanded into objects and arrays. */
  params: Record<string, unknown>;
  idempotencyKey: string | null;
  authorization: string | null;
  /** The response was an idempotent replay of an earlier request with the same key. */
  replayed: boolean;
  status: number;
}

export interface ScriptedDecline {
  code: string;
  decline_code?: string;
  message: string;
}

type Obj = Record<string, unknown>;

export const FAKE_STRIPE_SECRET_KEY = "sk_test_rootapi_fake_0123456789";
export const FAKE_STRIPE_WEBHOOK_SECRET = "whsec_rootapi_fake_0123456789abcdef";
const API_VERSION = "2026-10-28.endive";

const rid = (prefix: string, length = 24) => `${prefix}${randomBytes(length).toString("base64url").replace(/[-_]/g, "x").slice(0, length)}`;
const now = () => Math.floor(Date.now() / 1000);
const clone = <T>(value: T): T => structuredClone(value);

/** "a[b][0][c]=1&x=y" → { a: { b: [{ c: "1" }] }, x: "y" } (Stripe's encoding; values stay strings). */
export function parseStripeForm(text: string): Record<string, unknown> {
  const root: Obj = {};
  if (!text) return root;
  for (const pair of text.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const rawKey = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, " "));
    const value = eq < 0 ? "" : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, " "));
    const match = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(rawKey);
    const path = match ? [match[1]!, ...[...match[2]!.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!)] : [rawKey];
    let node: Obj = root;
    path.forEach((segment, i) => {
      const key = segment === "" ? String(Object.keys(node).length) : segment;
      if (i === path.length - 1) node[key] = value;
      else node = (node[key] ??= {}) as Obj;
    });
  }
  const arrays = (value: unknown): unknown => {
    if (!value || typeof value !== "object") return value;
    const obj = value as Obj;
    const keys = Object.keys(obj);
    const converted = Object.fromEntries(keys.map((k) => [k, arrays(obj[k])]));
    if (keys.length && keys.every((k, i) => k === String(i))) return keys.map((k) => converted[k]);
    return converted;
  };
  return arrays(root) as Record<string, unknown>;
}

class StripeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Obj,
  ) {
    super(String((body.error as Obj | undefined)?.message ?? status));
  }
}

const invalid = (message: string, param?: string) =>
  new StripeHttpError(400, { error: { type: "invalid_request_error", message, ...(param ? { param } : {}) } });
const missing = (kind: string, id: string) =>
  new StripeHttpError(404, { error: { type: "invalid_request_error", code: "resource_missing", message: `No such ${kind}: '${id}'`, param: "id" } });

export class FakeStripe {
  readonly requests: RecordedRequest[] = [];
  readonly customers = new Map<string, Obj>();
  readonly sessions = new Map<string, Obj>();
  readonly paymentIntents = new Map<string, Obj>();
  readonly charges = new Map<string, Obj>();
  /** Payment methods whose off-session charges are declined, and how. "*" declines every one. */
  readonly declines = new Map<string, ScriptedDecline>();
  /** Where the hosted page's Pay button delivers checkout.session.completed (for browser tests); null = nobody. */
  webhookTarget: string | null = null;

  private readonly sessionIntentData = new Map<string, Obj>();
  private readonly idempotent = new Map<string, { fingerprint: string; status: number; body: Obj }>();
  private readonly failures: Array<{ method: string; path: RegExp; status: number; body: Obj }> = [];
  private server!: http.Server;
  url = "";

  constructor(
    readonly secretKey = FAKE_STRIPE_SECRET_KEY,
    readonly webhookSecret = FAKE_STRIPE_WEBHOOK_SECRET,
  ) {}

  static async start(secretKey?: string, webhookSecret?: string, port = 0): Promise<FakeStripe> {
    const fake = new FakeStripe(secretKey, webhookSecret);
    fake.server = http.createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => fake.server.listen(port, "127.0.0.1", resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** The environment that points a RootAPI server at this fake. */
  env(): Record<string, string> {
    return { STRIPE_SECRET_KEY: this.secretKey, STRIPE_WEBHOOK_SECRET: this.webhookSecret, STRIPE_API_BASE: this.url };
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  /** API requests (not the hosted page) matching method and path prefix. */
  calls(method: string, pathPrefix: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix));
  }

  /** The next request matching method+path answers `status` with `body` (e.g. a 500 to test retries). */
  failNext(method: string, path: RegExp, status: number, body: Obj = { error: { type: "api_error", message: "Scripted failure" } }): void {
    this.failures.push({ method, path, status, body });
  }

  decline(paymentMethodId: string | "*", decline: ScriptedDecline = { code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." }): void {
    this.declines.set(paymentMethodId, decline);
  }

  // --- the customer's side ----------------------------------------------------------------------

  /**
   * The customer pays on the hosted page. "paid": a card, money captured now. "unpaid": a delayed
   * method (bank debit) — the session completes, the PaymentIntent is processing until succeedAsync/failAsync.
   */
  payCheckout(sessionId: string, options: { paymentStatus?: "paid" | "unpaid" } = {}): Obj {
    const session = this.must(this.sessions, sessionId, "checkout.session");
    if (session.status !== "open") throw new Error(`Session ${sessionId} is ${session.status}`);
    const intentData = this.sessionIntentData.get(sessionId) ?? {};
    const paid = (options.paymentStatus ?? "paid") === "paid";
    const paymentMethod = rid("pm_", 24);
    const intent = this.newIntent({
      amount: session.amount_total as number,
      currency: session.currency as string,
      customer: session.customer as string | null,
      metadata: (intentData.metadata as Obj | undefined) ?? {},
      payment_method: paymentMethod,
      setup_future_usage: (intentData.setup_future_usage as string | undefined) ?? null,
      status: paid ? "succeeded" : "processing",
    });
    if (paid) this.chargeIntent(intent);
    Object.assign(session, { status: "complete", payment_status: paid ? "paid" : "unpaid", payment_intent: intent.id });
    return clone(session);
  }

  /** A delayed payment cleared. */
  succeedAsync(sessionId: string): Obj {
    const session = this.must(this.sessions, sessionId, "checkout.session");
    const intent = this.must(this.paymentIntents, session.payment_intent as string, "payment_intent");
    intent.status = "succeeded";
    this.chargeIntent(intent);
    session.payment_status = "paid";
    return clone(session);
  }

  /** A delayed payment failed. */
  failAsync(sessionId: string, message = "The customer's bank account could not be debited."): Obj {
    const session = this.must(this.sessions, sessionId, "checkout.session");
    const intent = this.must(this.paymentIntents, session.payment_intent as string, "payment_intent");
    Object.assign(intent, { status: "requires_payment_method", last_payment_error: { type: "invalid_request_error", code: "payment_method_provider_decline", message } });
    return clone(session);
  }

  expire(sessionId: string): Obj {
    const session = this.must(this.sessions, sessionId, "checkout.session");
    Object.assign(session, { status: "expired", url: null });
    return clone(session);
  }

  /** Refunds `amountCents` more of a charge (cumulative amount_refunded, like Stripe). */
  refund(chargeId: string, amountCents?: number): Obj {
    const charge = this.must(this.charges, chargeId, "charge");
    const remaining = (charge.amount as number) - (charge.amount_refunded as number);
    const amount = amountCents ?? remaining;
    if (amount <= 0 || amount > remaining) throw new Error(`Cannot refund ${amount} of ${chargeId} (${remaining} left)`);
    charge.amount_refunded = (charge.amount_refunded as number) + amount;
    charge.refunded = charge.amount_refunded === charge.amount;
    return clone(charge);
  }

  session(id: string): Obj {
    return clone(this.must(this.sessions, id, "checkout.session"));
  }

  intent(id: string): Obj {
    return clone(this.must(this.paymentIntents, id, "payment_intent"));
  }

  charge(id: string): Obj {
    return clone(this.must(this.charges, id, "charge"));
  }

  // --- events -----------------------------------------------------------------------------------

  /** A Stripe Event wrapping a snapshot of `object`. */
  event(type: string, object: Obj): Stripe.Event {
    return {
      id: rid("evt_", 24),
      object: "event",
      api_version: API_VERSION,
      created: now(),
      data: { object: clone(object) },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
    } as unknown as Stripe.Event;
  }

  /** The Stripe-Signature header for `payload`, computed by the SDK itself. */
  sign(payload: string, secret = this.webhookSecret, timestamp?: number): string {
    return Stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp ? { timestamp } : {}) });
  }

  /**
   * POSTs an event to `${appUrl}/api/stripe/webhook`, signed like Stripe does. `signature: null` sends
   * none; a string sends that header verbatim; `secret` signs with another secret.
   */
  async deliver(appUrl: string, event: Stripe.Event, options: { signature?: string | null; secret?: string } = {}): Promise<{ status: number; body: Obj }> {
    const payload = JSON.stringify(event, null, 2);
    const signature = options.signature === undefined ? this.sign(payload, options.secret) : options.signature;
    const response = await fetch(`${appUrl.replace(/\/+$/, "")}/api/stripe/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)", ...(signature === null ? {} : { "stripe-signature": signature }) },
      body: payload,
    });
    const text = await response.text();
    let body: Obj;
    try {
      body = JSON.parse(text) as Obj;
    } catch {
      body = { raw: text };
    }
    return { status: response.status, body };
  }

  // --- the HTTP server --------------------------------------------------------------------------

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", this.url);
    const method = req.method ?? "GET";

    if (!url.pathname.startsWith("/v1/")) return this.page(method, url, res);

    const params = parseStripeForm(method === "GET" || method === "DELETE" ? url.search.slice(1) : text);
    const idempotencyKey = (req.headers["idempotency-key"] as string | undefined) ?? null;
    const record: RecordedRequest = { method, path: url.pathname, params, idempotencyKey, authorization: (req.headers.authorization as string | undefined) ?? null, replayed: false, status: 0 };
    this.requests.push(record);
    const send = (status: number, body: Obj, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { "content-type": "application/json", "request-id": rid("req_", 14), ...headers });
      res.end(JSON.stringify(body));
    };

    if (record.authorization !== `Bearer ${this.secretKey}`) {
      return send(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided" } });
    }
    const failure = this.failures.findIndex((f) => f.method === method && f.path.test(url.pathname));
    if (failure >= 0) {
      const [f] = this.failures.splice(failure, 1);
      return send(f!.status, f!.body, { "stripe-should-retry": "false" });
    }

    const fingerprint = `${method} ${url.pathname} ${JSON.stringify(params)}`;
    if (method === "POST" && idempotencyKey) {
      const earlier = this.idempotent.get(idempotencyKey);
      if (earlier) {
        if (earlier.fingerprint !== fingerprint) {
          return send(400, {
            error: { type: "idempotency_error", message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.` },
          });
        }
        record.replayed = true;
        return send(earlier.status, clone(earlier.body), { "idempotent-replayed": "true", "original-request": "req_fake" });
      }
    }

    let status = 200;
    let body: Obj;
    try {
      body = this.route(method, url.pathname, params);
    } catch (error) {
      if (!(error instanceof StripeHttpError)) throw error;
      status = error.status;
      body = error.body;
    }
    // Stripe saves the result of any request that started executing (card declines included).
    if (method === "POST" && idempotencyKey && status !== 400) this.idempotent.set(idempotencyKey, { fingerprint, status, body: clone(body) });
    send(status, body);
  }

  private route(method: string, path: string, params: Obj): Obj {
    let m: RegExpExecArray | null;
    if (method === "POST" && path === "/v1/customers") return this.createCustomer(params);
    if (method === "POST" && path === "/v1/checkout/sessions") return this.createSession(params);
    if (method === "GET" && (m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path))) return this.expand(this.must(this.sessions, m[1]!, "checkout.session"), params);
    if (method === "POST" && path === "/v1/payment_intents") return this.createIntent(params);
    if (method === "GET" && (m = /^\/v1\/payment_intents\/([^/]+)$/.exec(path))) return this.expand(this.must(this.paymentIntents, m[1]!, "payment_intent"), params);
    if (method === "GET" && (m = /^\/v1\/charges\/([^/]+)$/.exec(path))) return this.expand(this.must(this.charges, m[1]!, "charge"), params);
    throw new StripeHttpError(404, { error: { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${path}). The fake Stripe implements only what RootAPI calls.` } });
  }

  private must(map: Map<string, Obj>, id: string, kind: string): Obj {
    const found = map.get(id);
    if (!found) throw missing(kind, id);
    return found;
  }

  /** expand[]=latest_charge / payment_intent / customer on a copy. */
  private expand(object: Obj, params: Obj): Obj {
    const copy = clone(object);
    const expand = (params.expand as string[] | undefined) ?? [];
    for (const field of expand) {
      const id = copy[field];
      if (typeof id !== "string") continue;
      const source = field === "latest_charge" ? this.charges : field === "payment_intent" ? this.paymentIntents : field === "customer" ? this.customers : null;
      if (!source) throw invalid(`This property cannot be expanded (${field}).`, "expand");
      const target = source.get(id);
      if (target) copy[field] = clone(target);
    }
    return copy;
  }

  private createCustomer(params: Obj): Obj {
    const customer: Obj = {
      id: rid("cus_", 14),
      object: "customer",
      created: now(),
      email: params.email ?? null,
      name: params.name ?? null,
      metadata: params.metadata ?? {},
      livemode: false,
      invoice_settings: { default_payment_method: null },
    };
    this.customers.set(customer.id as string, customer);
    return clone(customer);
  }

  private createSession(params: Obj): Obj {
    if (params.mode !== "payment") throw invalid("This fake supports mode=payment only", "mode");
    const items = params.line_items as Array<{ quantity?: string; price_data?: { currency?: string; unit_amount?: string; product_data?: { name?: string } } }> | undefined;
    if (!items?.length) throw invalid("line_items is required in payment mode", "line_items");
    let total = 0;
    for (const item of items) {
      const unit = Number(item.price_data?.unit_amount);
      if (!Number.isInteger(unit) || unit < 0) throw invalid("Invalid integer: unit_amount", "line_items[0][price_data][unit_amount]");
      if (!item.price_data?.product_data?.name) throw invalid("Missing required param: line_items[0][price_data][product_data][name].");
      total += unit * Number(item.quantity ?? 1);
    }
    if (total < 50) throw invalid("The Checkout Session's total amount due must add up to at least $0.50 usd", "line_items");
    if (params.customer && !this.customers.has(params.customer as string)) throw missing("customer", params.customer as string);
    if (!params.success_url) throw invalid("Missing required param: success_url.", "success_url");
    const id = rid("cs_test_", 58);
    const session: Obj = {
      id,
      object: "checkout.session",
      amount_subtotal: total,
      amount_total: total,
      cancel_url: params.cancel_url ?? null,
      client_reference_id: params.client_reference_id ?? null,
      created: now(),
      currency: (params.currency as string | undefined) ?? items[0]!.price_data?.currency ?? "usd",
      customer: params.customer ?? null,
      customer_email: null,
      expires_at: now() + 24 * 3600,
      livemode: false,
      metadata: params.metadata ?? {},
      mode: "payment",
      payment_intent: null,
      payment_method_types: ["card"],
      payment_status: "unpaid",
      status: "open",
      success_url: params.success_url,
      url: `${this.url}/checkout/${id}`,
    };
    this.sessions.set(id, session);
    this.sessionIntentData.set(id, (params.payment_intent_data as Obj | undefined) ?? {});
    return clone(session);
  }

  private newIntent(fields: { amount: number; currency: string; customer: string | null; metadata: Obj; payment_method: string | null; setup_future_usage: string | null; status: string; description?: string | null }): Obj {
    const intent: Obj = {
      id: rid("pi_", 24),
      object: "payment_intent",
      amount: fields.amount,
      amount_capturable: 0,
      amount_received: 0,
      capture_method: "automatic_async",
      confirmation_method: "automatic",
      created: now(),
      currency: fields.currency,
      customer: fields.customer,
      description: fields.description ?? null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: fields.metadata,
      payment_method: fields.payment_method,
      payment_method_types: ["card"],
      setup_future_usage: fields.setup_future_usage,
      status: fields.status,
    };
    this.paymentIntents.set(intent.id as string, intent);
    return intent;
  }

  private chargeIntent(intent: Obj, failure?: ScriptedDecline): Obj {
    const id = rid("ch_", 24);
    const charge: Obj = {
      id,
      object: "charge",
      amount: intent.amount,
      amount_captured: failure ? 0 : intent.amount,
      amount_refunded: 0,
      captured: !failure,
      created: now(),
      currency: intent.currency,
      customer: intent.customer,
      failure_code: failure?.code ?? null,
      failure_message: failure?.message ?? null,
      livemode: false,
      metadata: {},
      paid: !failure,
      payment_intent: intent.id,
      payment_method: intent.payment_method,
      receipt_url: failure ? null : `${this.url}/receipts/${id}`,
      refunded: false,
      status: failure ? "failed" : "succeeded",
    };
    this.charges.set(id, charge);
    intent.latest_charge = id;
    if (!failure) intent.amount_received = intent.amount;
    return charge;
  }

  private createIntent(params: Obj): Obj {
    const amount = Number(params.amount);
    if (!Number.isInteger(amount) || amount < 50) throw invalid("Amount must be at least $0.50 usd", "amount");
    if (!params.currency) throw invalid("Missing required param: currency.", "currency");
    if (params.customer && !this.customers.has(params.customer as string)) throw missing("customer", params.customer as string);
    const paymentMethod = (params.payment_method as string | undefined) ?? null;
    const confirm = params.confirm === "true";
    const intent = this.newIntent({
      amount,
      currency: params.currency as string,
      customer: (params.customer as string | undefined) ?? null,
      metadata: (params.metadata as Obj | undefined) ?? {},
      payment_method: paymentMethod,
      setup_future_usage: (params.setup_future_usage as string | undefined) ?? null,
      status: confirm ? "processing" : "requires_confirmation",
      description: (params.description as string | undefined) ?? null,
    });
    if (!confirm) return clone(intent);
    if (!paymentMethod) throw invalid("You cannot confirm this PaymentIntent because it's missing a payment method.", "payment_method");
    const decline = this.declines.get(paymentMethod) ?? this.declines.get("*");
    if (decline) {
      const charge = this.chargeIntent(intent, decline);
      const error = { type: "card_error", code: decline.code, decline_code: decline.decline_code, message: decline.message, charge: charge.id, payment_method: { id: paymentMethod, object: "payment_method", type: "card" } };
      Object.assign(intent, { status: "requires_payment_method", last_payment_error: error });
      throw new StripeHttpError(402, { error: { ...error, payment_intent: clone(intent), doc_url: "https://docs.stripe.com/error-codes/card-declined" } });
    }
    intent.status = "succeeded";
    this.chargeIntent(intent);
    return clone(intent);
  }

  /** The hosted checkout page (for browsers and manual runs). */
  private async page(method: string, url: URL, res: http.ServerResponse): Promise<void> {
    const pay = /^\/checkout\/([^/]+)\/pay$/.exec(url.pathname);
    const show = /^\/checkout\/([^/]+)$/.exec(url.pathname);
    const session = this.sessions.get((pay ?? show)?.[1] ?? "");
    if (!session) {
      res.writeHead(404, { "content-type": "text/plain" });
      return void res.end("Not found");
    }
    if (pay && method === "POST") {
      if (session.status === "open") {
        this.payCheckout(session.id as string);
        if (this.webhookTarget) await this.deliver(this.webhookTarget, this.event("checkout.session.completed", session));
      }
      res.writeHead(303, { location: String(session.success_url).replace("{CHECKOUT_SESSION_ID}", session.id as string) });
      return void res.end();
    }
    const dollars = ((session.amount_total as number) / 100).toFixed(2);
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html><head><title>Fake Stripe Checkout</title></head><body>
<h1>Fake Stripe Checkout</h1>
<p>Session <code>${session.id}</code>: <strong id="amount">$${dollars}</strong> (${session.status})</p>
<form method="post" action="/checkout/${session.id}/pay"><button type="submit" id="pay">Pay $${dollars}</button></form>
<p><a id="cancel" href="${String(session.cancel_url ?? "/")}">Cancel</a></p>
</body></html>`);
  }
}

export const startFakeStripe = (secretKey?: string, webhookSecret?: string) => FakeStripe.start(secretKey, webhookSecret);
