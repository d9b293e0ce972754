import { z } from "zod";
import type { ModelMessage } from "ai";
import { UserError, apiMessage, type ErrorMessage } from "../errors";
import { MAX_MESSAGES_TEMPERATURE, MAX_SYSTEM_PROMPT_CHARS, MAX_TOKENS_LIMIT, MIN_RESPONSES_MAX_TOKENS, type PlaygroundSettings } from "./types";

/**
 * The body useChat's transport posts to /api/playground/chat: the conversation as UI messages plus
 * the playground's settings. Only the text of user and assistant turns is taken from the messages:
 * whatever else a browser sends (system turns, provider metadata, tool parts) never reaches the
 * model, and the system prompt comes from the settings alone.
 */
const MAX_MESSAGES = 1_000;

const part = z.looseObject({ type: z.string(), text: z.string().optional() });
const message = z.looseObject({
  id: z.string().optional(),
  role: z.enum(["system", "user", "assistant"]),
  parts: z.array(part).max(1_000),
});

const bodySchema = z.object({
  messages: z.array(message).min(1, "Send at least one message").max(MAX_MESSAGES, "At most 1,000 messages per conversation"),
  model: z.string().trim().min(1, "Pick a model").max(200),
  system: z.string().max(MAX_SYSTEM_PROMPT_CHARS, "The system prompt is too long").optional().default(""),
  temperature: z.number().min(0, "Temperature is between 0 and 2").max(2, "Temperature is between 0 and 2").nullable().optional().default(null),
  maxTokens: z
    .number()
    .int("Max tokens must be a whole number")
    .min(1, "Max tokens must be at least 1")
    .max(MAX_TOKENS_LIMIT)
    .nullable()
    .optional()
    .default(null),
  stream: z.boolean().optional().default(true),
  api: z.enum(["chat", "responses", "messages"]).optional().default("chat"),
});

/** What the portal says about an invalid setting (the field stays, so the form can point at it). */
function invalidSetting(field: string | undefined): ErrorMessage {
  switch (field?.split(".")[0]) {
    case "model":
      return apiMessage("playgroundModel");
    case "system":
      return apiMessage("playgroundSystem");
    case "temperature":
      return apiMessage("playgroundTemperature");
    case "maxTokens":
      return apiMessage("playgroundMaxTokens", { max: MAX_TOKENS_LIMIT, responsesMin: MIN_RESPONSES_MAX_TOKENS });
    case "messages":
      return apiMessage("playgroundMessages", { max: MAX_MESSAGES });
    default:
      return apiMessage("playgroundInvalid", { field: field ?? "body" });
  }
}

export interface PlaygroundRequest {
  settings: PlaygroundSettings;
  messages: ModelMessage[];
}

/** Validates the body and turns the UI messages into the model messages of the /v1 call. */
export function parsePlaygroundRequest(body: unknown): PlaygroundRequest {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join(".") || undefined;
    throw new UserError(issue.message, 400, "invalid_request", field, invalidSetting(field));
  }
  const { messages: uiMessages, ...settings } = parsed.data;
  if (settings.api === "responses" && settings.maxTokens !== null && settings.maxTokens < MIN_RESPONSES_MAX_TOKENS) {
    throw new UserError(`The Responses API needs max tokens of at least ${MIN_RESPONSES_MAX_TOKENS}`, 400, "invalid_request", "maxTokens", invalidSetting("maxTokens"));
  }
  if (settings.api === "messages" && settings.temperature !== null && settings.temperature > MAX_MESSAGES_TEMPERATURE) {
    throw new UserError(`The Messages API takes a temperature between 0 and ${MAX_MESSAGES_TEMPERATURE}`, 400, "invalid_request", "temperature", apiMessage("playgroundMessagesTemperature", { max: MAX_MESSAGES_TEMPERATURE }));
  }

  const messages: ModelMessage[] = [];
  for (const ui of uiMessages) {
    if (ui.role === "system") continue;
    const text = ui.parts
      .filter((p) => p.type === "text" && typeof p.text === "string")
      .map((p) => p.text)
      .join("");
    // An assistant turn stopped before its first word (or one that failed) adds nothing.
    if (!text.trim() && ui.role === "assistant") continue;
    messages.push({ role: ui.role, content: text });
  }
  if (messages.at(-1)?.role !== "user" || !String(messages.at(-1)!.content).trim()) {
    throw new UserError("The conversation must end with a message from you", 400, "invalid_request", "messages", invalidSetting("messages"));
  }
  return { settings: { ...settings, system: settings.system.trim() }, messages };
}
