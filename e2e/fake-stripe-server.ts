/**
 * The fake Stripe for browser tests, as its own process: Playwright starts it beside the app.
 * Its hosted checkout page's Pay button delivers a signed checkout.session.completed to the app,
 * then sends the browser to the success URL — the journey a real customer takes.
 */
import { FakeStripe } from "../test/helpers/fake-stripe";

async function main() {
  const fake = await FakeStripe.start(undefined, undefined, Number(process.env.FAKE_STRIPE_PORT));
  fake.webhookTarget = process.env.APP_URL ?? null;
  console.log(`Fake Stripe listening on ${fake.url}, delivering webhooks to ${fake.webhookTarget}`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

void main();
