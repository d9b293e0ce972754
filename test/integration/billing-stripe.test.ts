import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type Stripe from "stripe";
import { LedgerKind } from "@/lib/db/client";
import { databaseProviders } from "../helpers/database-matrix";
import { FakeStripe, startFakeStripe } from "../helpers/fake-stripe";
import { completion, startFakeUpstream, type FakeUpstream } from "../helpers/fake-upstream";
import { eventually, GatewayWorld } from "../helpers/gateway-world";
import { PortalClient } from "../helpers/portal-client";
import { runCli } from "../helpers/server";

const PASSWORD = "long enough pw";
const USD = 1_000_000n;
/** $0.01 per input token, output free: every call below costs exactly 20 × $0.01 = $0.20. */
const PRICE_IN = 10_000n * USD;
const CALL_COST = 200_000n;

type Obj = Record<string, unknown>;

describe.each(await databaseProviders())("billing with Stripe on %s", (provider) => {
  const world = new GatewayWorld();
  let stripe: FakeStripe;
  let upstream: FakeUpstream;

  beforeAll(async () => {
    await world.setUp(provider);
    stripe = await startFakeStripe();
    upstream = await startFakeUpstream(() => ({ kind: "json", body: completion("ok", { prompt_tokens: 20, completion_tokens: 3 }) }));
    await world.channel({ name: "priced", baseUrl: upstream.url, apiKey: "k", models: ["gpt-priced"] });
    await world.price("gpt-priced", PRICE_IN, 0n);
    await world.start(stripe.env());
  });

  afterAll(async () => {
    await world.tearDown();
    await Promise.all([stripe?.close(), upstream?.close()]);
  });

  /** A user with an API key, signed in to the portal. */
  async function member(balance = 0n) {
    const created = await world.user(balance);
    const portal = new PortalClient(world.server.url);
    expect(await portal.signIn(created.user.email, PASSWORD)).toBeNull();
    return { ...created, portal };
  }

  async function checkout(portal: PortalClient, body: Obj) {
    const response = await portal.json("/api/billing/checkout", "POST", body);
    return { status: response.status, body: (await response.json()) as Obj };
  }

  /** Starts a checkout for `usd` and returns its session id. */
  async function startCheckout(portal: PortalClient, usd: string, saveCard = false): Promise<string> {
    const result = await checkout(portal, { amountUsd: usd, saveCard });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    return result.body.sessionId as string;
  }

  const deliver = (event: Stripe.Event) => stripe.deliver(world.server.url, event);
  const completed = (sessionId: string) => stripe.event("checkout.session.completed", stripe.session(sessionId));

  async function ledgerOf(userId: string) {
    return world.db.ledgerEntry.findMany({ where: { userId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  }

  async function expectConsistent(userId: string) {
    const { balance, ledgerSum } = await world.balance(userId);
    expect(balance).toBe(ledgerSum);
    return balance;
  }

  it("creates one Stripe customer per user, a PENDING payment, and returns the hosted checkout URL", async () => {
    const alice = await member();
    const first = await checkout(alice.portal, { amountUsd: "25" });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ url: expect.stringMatching(new RegExp(`^${stripe.url}/checkout/cs_test_`)), sessionId: expect.stringMatching(/^cs_test_/) });
    const page = await fetch(first.body.url as string);
    expect(await page.text()).toContain("$25.00");

    const customers = stripe.calls("POST", "/v1/customers");
    expect(customers).toHaveLength(1);
    expect(customers[0]!.idempotencyKey).toBe(`rootapi-customer:${alice.user.id}`);
    expect(customers[0]!.params).toMatchObject({ email: alice.user.email, metadata: { userId: alice.user.id } });
    const stored = await world.db.user.findUniqueOrThrow({ where: { id: alice.user.id } });
    expect(stored.stripeCustomerId).toMatch(/^cus_/);

    const sessionRequest = stripe.calls("POST", "/v1/checkout/sessions").at(-1)!;
    const metadata = { userId: alice.user.id, amountMicros: "25000000" };
    expect(sessionRequest.params).toEqual({
      mode: "payment",
      customer: stored.stripeCustomerId,
      client_reference_id: alice.user.id,
      currency: "usd",
      line_items: [{ quantity: "1", price_data: { currency: "usd", unit_amount: "2500", product_data: { name: "RootAPI balance top-up" } } }],
      metadata,
      payment_intent_data: { metadata },
      success_url: `${world.server.url}/billing/success?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${world.server.url}/billing?canceled=1`,
    });

    const payment = await world.db.payment.findUniqueOrThrow({ where: { checkoutSessionId: first.body.sessionId as string } });
    expect(payment).toMatchObject({ userId: alice.user.id, status: "PENDING", amount: 25n * USD, currency: "usd", autoRecharge: false, provider: "stripe" });

    // The second top-up reuses the customer; saveCard keeps the card for off-session charges.
    const second = await checkout(alice.portal, { amountUsd: "12.50", saveCard: true });
    expect(second.status).toBe(200);
    expect(stripe.calls("POST", "/v1/customers")).toHaveLength(1);
    expect(stripe.calls("POST", "/v1/checkout/sessions").at(-1)!.params).toMatchObject({
      customer: stored.stripeCustomerId,
      line_items: [{ price_data: { unit_amount: "1250" } }],
      payment_intent_data: { metadata: { userId: alice.user.id, amountMicros: "12500000" }, setup_future_usage: "off_session" },
    });

    // The success page's poll: the owner sees it, nobody else does.
    const poll = await alice.portal.request(`/api/billing/payments/${first.body.sessionId}`);
    expect(poll.status).toBe(200);
    expect(await poll.json()).toMatchObject({ status: "PENDING", amount: "25000000", refundedAmount: "0", receiptUrl: null, failureReason: null });
    const bob = await member();
    expect((await bob.portal.request(`/api/billing/payments/${first.body.sessionId}`)).status).toBe(404);
    expect((await bob.portal.request(`/api/billing/payments/cs_test_unknown`)).status).toBe(404);
    expect((await new PortalClient(world.server.url).request(`/api/billing/payments/${first.body.sessionId}`)).status).toBe(401);
  });

  it("creates a single customer when two first top-ups race", async () => {
    const carol = await member();
    const before = stripe.customers.size;
    const results = await Promise.all([checkout(carol.portal, { amountUsd: "10" }), checkout(carol.portal, { amountUsd: "20" })]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(stripe.customers.size).toBe(before + 1);
    const stored = await world.db.user.findUniqueOrThrow({ where: { id: carol.user.id } });
    const sessions = results.map((r) => stripe.session(r.body.sessionId as string));
    expect(sessions.map((s) => s.customer)).toEqual([stored.stripeCustomerId, stored.stripeCustomerId]);
  });

  it("validates the amount and creates nothing for a bad one", async () => {
    const dave = await member();
    const sessionsBefore = stripe.calls("POST", "/v1/checkout/sessions").length;
    const cases: Array<[Obj, string]> = [
      [{ amountUsd: "abc" }, "invalid_amount"],
      [{}, "invalid_amount"],
      [{ amountUsd: "-10" }, "amount_out_of_range"],
      [{ amountUsd: "4.99" }, "amount_out_of_range"],
      [{ amountUsd: "1000.01" }, "amount_out_of_range"],
      [{ amountUsd: "10.001" }, "invalid_amount"],
      [{ amountUsd: "10.1234567" }, "invalid_amount"],
    ];
    for (const [body, code] of cases) {
      const result = await checkout(dave.portal, body);
      expect(result.status, JSON.stringify(body)).toBe(400);
      expect(result.body.error).toMatchObject({ code, field: "amount" });
    }
    const badFlag = await checkout(dave.portal, { amountUsd: "10", saveCard: "yes" });
    expect(badFlag.status).toBe(400);
    expect((await checkout(dave.portal, { amountUsd: "5" })).status).toBe(200);
    expect((await checkout(dave.portal, { amountUsd: "1000" })).status).toBe(200);
    expect(stripe.calls("POST", "/v1/checkout/sessions").length).toBe(sessionsBefore + 2);
    expect(await world.db.payment.count({ where: { userId: dave.user.id } })).toBe(2);
    expect((await new PortalClient(world.server.url).json("/api/billing/checkout", "POST", { amountUsd: "10" })).status).toBe(401);
  });

  it("answers 502 with a readable message when Stripe fails, recording nothing", async () => {
    const dora = await member();
    stripe.failNext("POST", /^\/v1\/checkout\/sessions$/, 500);
    const result = await checkout(dora.portal, { amountUsd: "10" });
    expect(result.status).toBe(502);
    expect(result.body.error).toMatchObject({ code: "stripe_error", message: expect.stringContaining("try again") });
    expect(await world.db.payment.count({ where: { userId: dora.user.id } })).toBe(0);
    expect((await checkout(dora.portal, { amountUsd: "10" })).status).toBe(200);
  });

  it("refuses webhooks with a bad or missing signature and changes nothing", async () => {
    const erin = await member();
    const sessionId = await startCheckout(erin.portal, "30");
    stripe.payCheckout(sessionId);
    const event = completed(sessionId);
    const payload = JSON.stringify(event);

    const missing = await stripe.deliver(world.server.url, event, { signature: null });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: "missing_signature" });
    const wrongSecret = await stripe.deliver(world.server.url, event, { secret: "whsec_not_the_right_one" });
    expect(wrongSecret.status).toBe(400);
    expect(wrongSecret.body.error).toMatchObject({ code: "invalid_signature" });
    const garbage = await stripe.deliver(world.server.url, event, { signature: "t=1,v1=deadbeef" });
    expect(garbage.status).toBe(400);
    // A valid signature over another body (the amount changed in transit).
    const tampered = await stripe.deliver(world.server.url, event, { signature: stripe.sign(payload.replace("30000000", "99000000")) });
    expect(tampered.status).toBe(400);
    // Signed long ago (replayed outside the tolerance window).
    const stale = await stripe.deliver(world.server.url, event, { signature: stripe.sign(JSON.stringify(event, null, 2), undefined, Math.floor(Date.now() / 1000) - 3600) });
    expect(stale.status).toBe(400);

    expect(await ledgerOf(erin.user.id)).toEqual([]);
    expect(await world.db.payment.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } })).toMatchObject({ status: "PENDING", paymentIntentId: null });
    expect((await world.balance(erin.user.id)).balance).toBe(0n);

    // Unknown event types are acknowledged and ignored.
    const ignored = await deliver(stripe.event("customer.updated", { id: "cus_x", object: "customer" }));
    expect(ignored).toMatchObject({ status: 200, body: { received: true, outcome: "ignored" } });
  });

  it("credits a paid session exactly once under 10 sequential and 10 concurrent duplicate deliveries", async () => {
    const frank = await member();
    const sessionId = await startCheckout(frank.portal, "40");
    stripe.payCheckout(sessionId);
    const event = completed(sessionId);

    const sequential = [];
    for (let i = 0; i < 10; i++) sequential.push(await deliver(event));
    expect(sequential.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(sequential.map((r) => r.body.outcome)).toEqual(["credited", ...Array(9).fill("already_credited")]);

    // Stripe may also send the same fact as distinct events; deliver them all at once.
    const concurrent = await Promise.all(Array.from({ length: 10 }, (_, i) => deliver(i % 2 ? event : completed(sessionId))));
    expect(concurrent.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(concurrent.every((r) => r.body.outcome === "already_credited")).toBe(true);

    const ledger = await ledgerOf(frank.user.id);
    expect(ledger).toHaveLength(1);
    const payment = await world.db.payment.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } });
    expect(ledger[0]).toMatchObject({ kind: LedgerKind.TOPUP, amount: 40n * USD, balanceAfter: 40n * USD, idempotencyKey: `stripe:checkout:${sessionId}`, paymentId: payment.id });
    expect(await expectConsistent(frank.user.id)).toBe(40n * USD);

    const session = stripe.session(sessionId);
    const intent = stripe.intent(session.payment_intent as string);
    const charge = stripe.charge(intent.latest_charge as string);
    expect(payment).toMatchObject({ status: "PAID", paymentIntentId: intent.id, chargeId: charge.id, receiptUrl: charge.receipt_url, failureReason: null });
    const poll = await frank.portal.request(`/api/billing/payments/${sessionId}`);
    expect(await poll.json()).toMatchObject({ status: "PAID", amount: "40000000", receiptUrl: charge.receipt_url });
    // Without saveCard no card is kept for auto-recharge.
    expect((await world.db.user.findUniqueOrThrow({ where: { id: frank.user.id } })).autoRechargePaymentMethodId).toBeNull();
  });

  it("credits once when both completed (paid) and async_payment_succeeded arrive", async () => {
    const gina = await member();
    const sessionId = await startCheckout(gina.portal, "15");
    stripe.payCheckout(sessionId);
    const results = await Promise.all([
      deliver(completed(sessionId)),
      deliver(stripe.event("checkout.session.async_payment_succeeded", stripe.session(sessionId))),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    expect(results.map((r) => r.body.outcome).sort()).toEqual(["already_credited", "credited"]);
    expect(await ledgerOf(gina.user.id)).toHaveLength(1);
    expect(await expectConsistent(gina.user.id)).toBe(15n * USD);
  });

  it("does not credit an unpaid (delayed) session until async_payment_succeeded", async () => {
    const hugo = await member();
    const sessionId = await startCheckout(hugo.portal, "20");
    stripe.payCheckout(sessionId, { paymentStatus: "unpaid" });
    const first = await deliver(completed(sessionId));
    expect(first).toMatchObject({ status: 200, body: { outcome: "pending" } });
    expect(await ledgerOf(hugo.user.id)).toEqual([]);
    const pending = await world.db.payment.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } });
    expect(pending).toMatchObject({ status: "PENDING", paymentIntentId: stripe.session(sessionId).payment_intent });
    // The success page's poll asks Stripe, which still says unpaid.
    expect(await (await hugo.portal.request(`/api/billing/payments/${sessionId}`)).json()).toMatchObject({ status: "PENDING" });

    stripe.succeedAsync(sessionId);
    const succeeded = stripe.event("checkout.session.async_payment_succeeded", stripe.session(sessionId));
    expect((await deliver(succeeded)).body.outcome).toBe("credited");
    expect((await deliver(succeeded)).body.outcome).toBe("already_credited");
    expect(await ledgerOf(hugo.user.id)).toHaveLength(1);
    expect(await expectConsistent(hugo.user.id)).toBe(20n * USD);
    expect(await world.db.payment.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } })).toMatchObject({ status: "PAID", receiptUrl: expect.stringContaining("/receipts/ch_") });
  });

  it("marks an asynchronous failure FAILED with its reason and credits nothing", async () => {
    const ines = await member();
    const sessionId = await startCheckout(ines.portal, "20");
    stripe.payCheckout(sessionId, { paymentStatus: "unpaid" });
    await deliver(completed(sessionId));
    stripe.failAsync(sessionId, "The bank account has insufficient funds.");
    const failed = stripe.event("checkout.session.async_payment_failed", stripe.session(sessionId));
    expect(await deliver(failed)).toMatchObject({ status: 200, body: { outcome: "failed" } });
    expect(await deliver(failed)).toMatchObject({ status: 200 });
    expect(await world.db.payment.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } })).toMatchObject({
      status: "FAILED",
      failureReason: "The bank account has insufficient funds.",
    });
    expect(await ledgerOf(ines.user.id)).toEqual([]);
    const poll = await (await ines.portal.request(`/api/billing/payments/${sessionId}`)).json();
    expect(poll).toMatchObject({ status: "FAILED", failureReason: "The bank account has insufficient funds." });
  });

  it("marks an expired checkout EXPIRED", async () => {
    const jack = await member();
    const sessionId = await startCheckout(jack.portal, "10");
    stripe.expire(sessionId);
    expect(await deliver(stripe.event("checkout.session.expired", stripe.session(sessionId)))).toMatchObject({ status: 200, body: { outcome: "expired" } });
    expect(await world.db.payment.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } })).toMatchObject({ status: "EXPIRED" });
  });

  it("fulfils from the success page's poll when the webhook is late, and the webhook then changes nothing", async () => {
    const kate = await member();
    const sessionId = await startCheckout(kate.portal, "10");
    stripe.payCheckout(sessionId);
    const poll = await (await kate.portal.request(`/api/billing/payments/${sessionId}`)).json();
    expect(poll).toMatchObject({ status: "PAID", amount: "10000000", receiptUrl: expect.stringContaining("/receipts/ch_") });
    expect(await expectConsistent(kate.user.id)).toBe(10n * USD);
    expect((await deliver(completed(sessionId))).body.outcome).toBe("already_credited");
    expect(await ledgerOf(kate.user.id)).toHaveLength(1);
  });

  it("refuses to credit when Stripe's amount differs from the recorded one", async () => {
    const liam = await member();
    const sessionId = await startCheckout(liam.portal, "10");
    stripe.payCheckout(sessionId);
    const session = stripe.session(sessionId);
    const forged = stripe.event("checkout.session.completed", { ...session, amount_total: 100_000 });
    const result = await deliver(forged);
    expect(result.status).toBe(500);
    expect(result.body.error).toMatchObject({ code: "payment_mismatch" });
    expect(world.server.logs()).toContain("STRIPE PAYMENT MISMATCH");
    expect(await ledgerOf(liam.user.id)).toEqual([]);
    expect(await world.db.payment.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } })).toMatchObject({ status: "PENDING", failureReason: expect.stringContaining("different amount") });
  });

  it("books refunds (partial, then full) as REFUND entries for the deltas, once each", async () => {
    const mia = await member();
    const sessionId = await startCheckout(mia.portal, "20");
    stripe.payCheckout(sessionId);
    await deliver(completed(sessionId));
    const payment = await world.db.payment.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } });
    const chargeId = payment.chargeId!;

    const partial = stripe.event("charge.refunded", stripe.refund(chargeId, 500));
    expect((await deliver(partial)).body.outcome).toBe("refunded");
    expect((await deliver(partial)).status).toBe(200);
    expect(await world.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedAmount: 5n * USD });

    const full = stripe.event("charge.refunded", stripe.refund(chargeId));
    await deliver(full);
    await deliver(full);
    await deliver(partial); // a late redelivery of the partial refund changes nothing

    const refunds = (await ledgerOf(mia.user.id)).filter((e) => e.kind === LedgerKind.REFUND);
    expect(refunds.map((e) => e.amount)).toEqual([-5n * USD, -15n * USD]);
    expect(refunds.every((e) => e.paymentId === payment.id)).toBe(true);
    expect(await world.db.payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: "REFUNDED", refundedAmount: 20n * USD });
    expect(await expectConsistent(mia.user.id)).toBe(0n);
  });

  it("books the exact refunded total when refund events arrive concurrently and out of order", async () => {
    const noah = await member();
    const sessionId = await startCheckout(noah.portal, "10");
    stripe.payCheckout(sessionId);
    await deliver(completed(sessionId));
    const chargeId = stripe.intent(stripe.session(sessionId).payment_intent as string).latest_charge as string;
    const first = stripe.event("charge.refunded", stripe.refund(chargeId, 300));
    const second = stripe.event("charge.refunded", stripe.refund(chargeId, 200));
    const third = stripe.event("charge.refunded", stripe.refund(chargeId, 100));
    const results = await Promise.all([third, first, second, first, third, second, third].map((e) => deliver(e)));
    expect(results.map((r) => r.status)).toEqual(Array(7).fill(200));
    const refunded = (await ledgerOf(noah.user.id)).filter((e) => e.kind === LedgerKind.REFUND).reduce((sum, e) => sum + e.amount, 0n);
    expect(refunded).toBe(-6n * USD);
    expect(await expectConsistent(noah.user.id)).toBe(4n * USD);
    expect(await world.db.payment.findUniqueOrThrow({ where: { checkoutSessionId: sessionId } })).toMatchObject({ status: "PARTIALLY_REFUNDED", refundedAmount: 6n * USD });
  });

  /** Tops `who` up by $5 through Checkout with "save this card", so auto-recharge has a card. */
  async function saveCard(who: Awaited<ReturnType<typeof member>>): Promise<string> {
    const sessionId = await startCheckout(who.portal, "5", true);
    stripe.payCheckout(sessionId);
    expect((await deliver(completed(sessionId))).body.outcome).toBe("credited");
    const user = await world.db.user.findUniqueOrThrow({ where: { id: who.user.id } });
    const intent = stripe.intent(stripe.session(sessionId).payment_intent as string);
    expect(user.autoRechargePaymentMethodId).toBe(intent.payment_method);
    return intent.payment_method as string;
  }

  async function enableAutoRecharge(userId: string, thresholdUsd: bigint, amountUsd: bigint) {
    await world.db.user.update({
      where: { id: userId },
      data: { autoRechargeEnabled: true, autoRechargeThreshold: thresholdUsd, autoRechargeAmount: amountUsd, autoRechargeError: null },
    });
  }

  async function call(apiKey: string) {
    const result = await world.client(apiKey).chat.completions.create({ model: "gpt-priced", messages: [{ role: "user", content: "Hi" }] });
    await world.logOf(result._request_id!);
  }

  const autoRechargeIntents = (userId: string) =>
    [...stripe.paymentIntents.values()].filter((pi) => (pi.metadata as Obj).autoRecharge === "1" && (pi.metadata as Obj).userId === userId);

  it("auto-recharges once when real usage crosses the threshold, and the webhook credits it once", async () => {
    const olga = await member();
    const paymentMethod = await saveCard(olga);
    const customer = (await world.db.user.findUniqueOrThrow({ where: { id: olga.user.id } })).stripeCustomerId;
    await enableAutoRecharge(olga.user.id, 4_500_000n, 10n * USD);

    // $5.00 → $4.80 → $4.60: still above $4.50, nothing happens.
    await call(olga.apiKey);
    await call(olga.apiKey);
    await new Promise((r) => setTimeout(r, 300));
    expect(autoRechargeIntents(olga.user.id)).toHaveLength(0);
    // Crossing it, with several requests (some concurrent) settling below the threshold.
    await call(olga.apiKey);
    await Promise.all([call(olga.apiKey), call(olga.apiKey), call(olga.apiKey)]);
    await call(olga.apiKey);
    await eventually(async () => expect(autoRechargeIntents(olga.user.id)).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 500));
    expect(autoRechargeIntents(olga.user.id)).toHaveLength(1);

    const [intent] = autoRechargeIntents(olga.user.id);
    const creates = stripe.calls("POST", "/v1/payment_intents").filter((r) => (r.params.metadata as Obj).userId === olga.user.id);
    expect(creates.length).toBeGreaterThanOrEqual(1);
    expect(new Set(creates.map((r) => r.idempotencyKey)).size).toBe(1);
    expect(creates[0]!.idempotencyKey).toMatch(new RegExp(`^autorecharge:${olga.user.id}:`));
    expect(creates[0]!.params).toEqual({
      amount: "1000",
      currency: "usd",
      customer,
      payment_method: paymentMethod,
      off_session: "true",
      confirm: "true",
      description: "RootAPI auto-recharge",
      metadata: { userId: olga.user.id, autoRecharge: "1", amountMicros: "10000000" },
    });
    const payments = await world.db.payment.findMany({ where: { userId: olga.user.id, autoRecharge: true } });
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ status: "PENDING", paymentIntentId: intent!.id, amount: 10n * USD });
    const balanceBefore = await expectConsistent(olga.user.id);
    expect(balanceBefore).toBe(5n * USD - 7n * CALL_COST);

    // Stripe reports success: credited once however often (and however concurrently) it says so.
    const succeeded = stripe.event("payment_intent.succeeded", stripe.intent(intent!.id as string));
    const results = await Promise.all([succeeded, succeeded, stripe.event("payment_intent.succeeded", stripe.intent(intent!.id as string))].map((e) => deliver(e)));
    expect(results.map((r) => r.body.outcome).sort()).toEqual(["already_credited", "already_credited", "credited"]);
    expect(await expectConsistent(olga.user.id)).toBe(balanceBefore + 10n * USD);
    const topups = (await ledgerOf(olga.user.id)).filter((e) => e.kind === LedgerKind.TOPUP);
    expect(topups.map((e) => e.idempotencyKey)).toContain(`stripe:payment_intent:${intent!.id}`);
    expect(await world.db.payment.findUniqueOrThrow({ where: { id: payments[0]!.id } })).toMatchObject({
      status: "PAID",
      chargeId: intent!.latest_charge,
      receiptUrl: expect.stringContaining("/receipts/ch_"),
    });

    // Back above the threshold: more usage charges nothing more.
    await call(olga.apiKey);
    await new Promise((r) => setTimeout(r, 300));
    expect(autoRechargeIntents(olga.user.id)).toHaveLength(1);
    // A Checkout PaymentIntent's own payment_intent.succeeded is not an auto-recharge: ignored.
    const checkoutIntent = [...stripe.paymentIntents.values()].find((pi) => (pi.metadata as Obj).userId === olga.user.id && !(pi.metadata as Obj).autoRecharge)!;
    expect((await deliver(stripe.event("payment_intent.succeeded", checkoutIntent))).body.outcome).toBe("ignored");
  });

  it("turns auto-recharge off with a message when the card is declined, and recharges again once re-enabled", async () => {
    const paul = await member();
    const paymentMethod = await saveCard(paul);
    stripe.decline(paymentMethod, { code: "card_declined", decline_code: "insufficient_funds", message: "Your card has insufficient funds." });
    await enableAutoRecharge(paul.user.id, 4_900_000n, 20n * USD);

    await call(paul.apiKey); // $5.00 → $4.80 < $4.90
    await eventually(async () => {
      const user = await world.db.user.findUniqueOrThrow({ where: { id: paul.user.id } });
      expect(user.autoRechargeEnabled, world.server.logs()).toBe(false);
    });
    const user = await world.db.user.findUniqueOrThrow({ where: { id: paul.user.id } });
    expect(user.autoRechargeError).toMatch(/Auto-recharge of \$20\.00 failed: Your card has insufficient funds\./);
    const [failed] = await world.db.payment.findMany({ where: { userId: paul.user.id, autoRecharge: true } });
    expect(failed).toMatchObject({ status: "FAILED", failureReason: "Your card has insufficient funds.", paymentIntentId: expect.stringMatching(/^pi_/) });

    // Turned off: more usage tries nothing; Stripe's own payment_failed webhook changes nothing either.
    await call(paul.apiKey);
    await new Promise((r) => setTimeout(r, 300));
    expect(autoRechargeIntents(paul.user.id)).toHaveLength(1);
    const failedEvent = stripe.event("payment_intent.payment_failed", stripe.intent(failed!.paymentIntentId!));
    expect(await deliver(failedEvent)).toMatchObject({ status: 200, body: { outcome: "failed" } });
    expect(await world.db.payment.count({ where: { userId: paul.user.id, autoRecharge: true } })).toBe(1);
    expect(await ledgerOf(paul.user.id)).toHaveLength(3); // the $5 top-up and two calls

    // The user fixes the card and turns it back on: a new attempt (new idempotency key) succeeds.
    stripe.declines.clear();
    await enableAutoRecharge(paul.user.id, 4_900_000n, 20n * USD);
    await call(paul.apiKey);
    await eventually(async () => expect(autoRechargeIntents(paul.user.id)).toHaveLength(2));
    const keys = stripe.calls("POST", "/v1/payment_intents").filter((r) => (r.params.metadata as Obj).userId === paul.user.id).map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(2);
    const retry = autoRechargeIntents(paul.user.id).find((pi) => pi.status === "succeeded")!;
    expect((await deliver(stripe.event("payment_intent.succeeded", retry))).body.outcome).toBe("credited");
    expect(await expectConsistent(paul.user.id)).toBe(5n * USD - 3n * CALL_COST + 20n * USD);
  });

  it("leaves every balance equal to its ledger (npm run cli -- ledger verify)", async () => {
    const result = await runCli(["ledger", "verify"], world.server.env);
    expect(result.code, result.stderr + result.stdout).toBe(0);
  });
});

describe("billing without Stripe configured", () => {
  const world = new GatewayWorld();
  let upstream: FakeUpstream;

  beforeAll(async () => {
    await world.setUp("sqlite");
    upstream = await startFakeUpstream(() => ({ kind: "json", body: completion("ok", { prompt_tokens: 20, completion_tokens: 3 }) }));
    await world.channel({ name: "priced", baseUrl: upstream.url, apiKey: "k", models: ["gpt-priced"] });
    await world.price("gpt-priced", PRICE_IN, 0n);
    await world.start({ STRIPE_SECRET_KEY: "", STRIPE_WEBHOOK_SECRET: "", STRIPE_API_BASE: "" });
  });

  afterAll(async () => {
    await world.tearDown();
    await upstream?.close();
  });

  it("answers 503 stripe_not_configured on checkout, and the gateway and portal keep working", async () => {
    const { user, apiKey } = await world.user(5n * USD);
    // Even a user who somehow has auto-recharge on: settlement must not trip over it.
    await world.db.user.update({ where: { id: user.id }, data: { autoRechargeEnabled: true, autoRechargeThreshold: 100n * USD, autoRechargeAmount: 10n * USD, autoRechargePaymentMethodId: "pm_x", stripeCustomerId: "cus_x" } });
    const portal = new PortalClient(world.server.url);
    expect(await portal.signIn(user.email, PASSWORD)).toBeNull();

    const response = await portal.json("/api/billing/checkout", "POST", { amountUsd: "10" });
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("stripe_not_configured");
    expect(body.error.message).toMatch(/STRIPE_SECRET_KEY/);
    expect(await world.db.payment.count()).toBe(0);

    const webhook = await fetch(`${world.server.url}/api/stripe/webhook`, { method: "POST", headers: { "stripe-signature": "t=1,v1=x" }, body: "{}" });
    expect(webhook.status).toBe(503);
    expect((await portal.request("/api/billing/payments/cs_test_x")).status).toBe(404);

    const result = await world.client(apiKey).chat.completions.create({ model: "gpt-priced", messages: [{ role: "user", content: "Hi" }] });
    expect((await world.logOf(result._request_id!)).cost).toBe(CALL_COST);
    const keys = await portal.request("/api/keys");
    expect(keys.status).toBe(200);
    expect(await world.balance(user.id)).toMatchObject({ balance: 5n * USD - CALL_COST, ledgerSum: 5n * USD - CALL_COST });
    // The rest of the instance's funds lease goes back once the user is idle.
    await eventually(async () => expect((await world.balance(user.id)).held).toBe(0n), 6_000, 200);
    expect(await world.db.payment.count()).toBe(0);
    expect(world.server.logs()).not.toMatch(/auto-recharge .*failed/i);
  });
});
