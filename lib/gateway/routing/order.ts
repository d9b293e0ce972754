/**
 * The order in which a model's channels are tried: highest priority first; within one priority a
 * weighted random order (Efraimidis–Spirakis: sort by u^(1/weight)), so traffic splits by weight
 * and a failed channel's share falls to the others.
 */
export interface Routable {
  priority: number;
  weight: number;
}

export function orderChannels<T extends Routable>(channels: readonly T[], random: () => number = Math.random): T[] {
  if (channels.length <= 1) return [...channels];
  return channels
    .map((channel) => ({ channel, key: Math.pow(random(), 1 / Math.max(1, channel.weight)) }))
    .sort((a, b) => b.channel.priority - a.channel.priority || b.key - a.key)
    .map((entry) => entry.channel);
}
