import type { HotStore } from ".";

/**
 * Responses are kept so that `previous_response_id` works across every channel: each stored turn
 * holds the input items of its own turn and its output items; a conversation is the chain of turns.
 */

/** A chain longer than this is refused rather than walked forever. */
const MAX_CHAIN = 1_000;

/**
 * The conversation before a new turn: for every earlier response in the chain, oldest first, its
 * input items followed by its output items. Null when the id is unknown to this user.
 */
export async function conversationBefore(store: HotStore, userId: string, previousId: string): Promise<unknown[] | null> {
  const turns: Array<{ input: unknown; output: unknown }> = [];
  let id: string | null = previousId;
  while (id) {
    if (turns.length >= MAX_CHAIN) throw new Error(`Conversation chain longer than ${MAX_CHAIN} responses`);
    const row = await store.findStoredTurn(userId, id);
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
