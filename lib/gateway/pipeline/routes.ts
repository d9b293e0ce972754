import type { RoutedChannel } from "../routing/catalog";
import type { GatewayError } from "./errors";
import { getProvider } from "../providers";
import type { Provider } from "../providers/types";
import { Untranslatable } from "../translate/hub";

export type NativeTest = (provider: Provider | undefined, channel: RoutedChannel) => boolean;

export interface RoutePlan {
  channels: readonly RoutedChannel[];
  /** The request in the hub format (Chat Completions), for channels that do not speak it natively. */
  hub: Record<string, unknown> | null;
}

/**
 * Which channels take a request natively, and its hub form for the others — translated once, up
 * front. A request the hub cannot carry (a hosted tool, a document by URL…) is refused when no
 * native channel could take it, and otherwise leaves the other channels out.
 */
export function planRoutes(
  channels: readonly RoutedChannel[],
  isNative: NativeTest,
  toHub: () => Record<string, unknown>,
  refuse: (error: Untranslatable) => GatewayError,
): RoutePlan {
  const native = channels.filter((channel) => isNative(getProvider(channel.type), channel));
  if (native.length === channels.length) return { channels, hub: null };
  try {
    return { channels, hub: toHub() };
  } catch (error) {
    if (!(error instanceof Untranslatable)) throw error;
    if (!native.length) throw refuse(error);
    return { channels: native, hub: null };
  }
}
