import type { Db } from "../../db/client";
import { Prisma } from "../../db/client";

/**
 * Responses we keep so that `previous_response_id` works across every channel: each row holds the
 * input items of its own turn and its output items; a conversation is the chain of rows.
 */
export interface StoredTurn {
  id: string;
  userId: string;
  apiKeyId: string | null;
  model: string;
  previousResponseId: string | null;
  instructions: string | null;
  input: unknown[];
  output: unknown[];
  response: Record<string, unknown>;
  status: string;
}

/** A chain longer than this is refused rather than walked forever. */
const MAX_CHAIN = 1_000;

export function findResponse(db: Db, userId: string, id: string) {
  // Someone else's id is simply "not found": never a hint that it exists.
  return db.storedResponse.findFirst({ where: { id, userId } });
}

/**
 * The conversation before a new turn: for every earlier response in the chain, oldest first, its
 * input items followed by its output items. Null when the id is unknown to this user.
 */
export async function conversationBefore(db: Db, userId: string, previousId: string): Promise<unknown[] | null> {
  const turns: Array<{ input: unknown; output: unknown }> = [];
  let id: string | null = previousId;
  while (id) {
    if (turns.length >= MAX_CHAIN) throw new Error(`Conversation chain longer than ${MAX_CHAIN} responses`);
    const row: { input: unknown; output: unknown; previousResponseId: string | null } | null = await db.storedResponse.findFirst({
      where: { id, userId },
      select: { input: true, output: true, previousResponseId: true },
    });
    if (!row) {
      if (turns.length === 0) return null;
      break; // an older turn was deleted: the conversation starts after it
    }
    turns.push(row);
    id = row.previousResponseId;
  }
  return turns.reverse().flatMap((turn) => [...asArray(turn.input), ...asArray(turn.output)]);
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export async function saveResponse(db: Db, turn: StoredTurn): Promise<void> {
  await db.storedResponse.create({
    data: {
      id: turn.id,
      userId: turn.userId,
      apiKeyId: turn.apiKeyId,
      model: turn.model,
      previousResponseId: turn.previousResponseId,
      instructions: turn.instructions,
      input: turn.input as Prisma.InputJsonValue,
      output: turn.output as Prisma.InputJsonValue,
      response: turn.response as Prisma.InputJsonValue,
      status: turn.status,
    },
  });
}

export async function deleteResponse(db: Db, userId: string, id: string): Promise<boolean> {
  const { count } = await db.storedResponse.deleteMany({ where: { id, userId } });
  return count > 0;
}
