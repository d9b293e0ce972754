import type { Db } from "../db/client";
import { ChannelStatus, PaymentStatus, Role } from "../db/client";

/**
 * The admin console's system overview, from RequestLog (request rates, error rates per channel, top
 * models), Payment (recent top-ups) and a few counts. Every query is an indexed aggregate.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface ChannelErrorRate {
  channelId: string | null;
  /** null: requests refused before any channel was chosen (unknown model, no balance…), or a deleted channel. */
  name: string | null;
  status: string | null;
  requests: number;
  errors: number;
  /** 0–1. */
  errorRate: number;
}

export interface TopModel {
  model: string;
  requests: number;
  /** Micro-dollars. */
  spend: bigint;
}

export interface RecentTopUp {
  id: string;
  email: string;
  amount: bigint;
  autoRecharge: boolean;
  createdAt: Date;
}

export interface SystemOverview {
  requestsPerMinute: { last5Minutes: number; lastHour: number };
  requests24h: number;
  errorsByChannel: ChannelErrorRate[];
  topModelsByRequests: TopModel[];
  topModelsBySpend: TopModel[];
  recentTopUps: RecentTopUp[];
  counts: {
    users: number;
    admins: number;
    disabledUsers: number;
    channels: Record<"ENABLED" | "DISABLED" | "AUTO_DISABLED", number>;
    pricedModels: number;
  };
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export async function systemOverview(db: Db, now = new Date(), topN = 10): Promise<SystemOverview> {
  const since = (ms: number) => ({ createdAt: { gte: new Date(now.getTime() - ms), lte: now } });
  const [last5, lastHour, byChannel, errorsByChannel, byModel, topUps, users, admins, disabledUsers, channelStatuses, channels, pricedModels] = await Promise.all([
    db.requestLog.count({ where: since(5 * MINUTE) }),
    db.requestLog.count({ where: since(HOUR) }),
    db.requestLog.groupBy({ by: ["channelId"], where: since(DAY), _count: { _all: true } }),
    db.requestLog.groupBy({ by: ["channelId"], where: { ...since(DAY), status: { gte: 400 } }, _count: { _all: true } }),
    db.requestLog.groupBy({ by: ["model"], where: since(DAY), _count: { _all: true }, _sum: { cost: true } }),
    db.payment.findMany({
      where: { status: PaymentStatus.PAID },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 10,
      select: { id: true, amount: true, autoRecharge: true, createdAt: true, user: { select: { email: true } } },
    }),
    db.user.count(),
    db.user.count({ where: { role: Role.ADMIN } }),
    db.user.count({ where: { disabled: true } }),
    db.channel.groupBy({ by: ["status"], _count: { _all: true } }),
    db.channel.findMany({ select: { id: true, name: true, status: true } }),
    db.modelPrice.count(),
  ]);

  const channelById = new Map(channels.map((c) => [c.id, c]));
  const errorCount = new Map(errorsByChannel.map((r) => [r.channelId, r._count._all]));
  const errors: ChannelErrorRate[] = byChannel
    .map((row) => {
      const channel = row.channelId ? channelById.get(row.channelId) : undefined;
      const requests = row._count._all;
      const failed = errorCount.get(row.channelId) ?? 0;
      return { channelId: row.channelId, name: channel?.name ?? null, status: channel?.status ?? null, requests, errors: failed, errorRate: requests ? failed / requests : 0 };
    })
    .sort((a, b) => b.errorRate - a.errorRate || b.requests - a.requests);

  const models: TopModel[] = byModel
    .filter((row) => row.model)
    .map((row) => ({ model: row.model!, requests: row._count._all, spend: row._sum.cost ?? 0n }));
  const bySpend = [...models].filter((m) => m.spend > 0n).sort((a, b) => (b.spend > a.spend ? 1 : b.spend < a.spend ? -1 : b.requests - a.requests));
  const byRequests = [...models].sort((a, b) => b.requests - a.requests || (b.spend > a.spend ? 1 : b.spend < a.spend ? -1 : 0));

  const statusCounts = { ENABLED: 0, DISABLED: 0, AUTO_DISABLED: 0 } as SystemOverview["counts"]["channels"];
  for (const row of channelStatuses) {
    if (row.status === ChannelStatus.ENABLED || row.status === ChannelStatus.DISABLED || row.status === ChannelStatus.AUTO_DISABLED) statusCounts[row.status] = row._count._all;
  }

  return {
    requestsPerMinute: { last5Minutes: round(last5 / 5), lastHour: round(lastHour / 60) },
    requests24h: byChannel.reduce((sum, row) => sum + row._count._all, 0),
    errorsByChannel: errors,
    topModelsByRequests: byRequests.slice(0, topN),
    topModelsBySpend: bySpend.slice(0, topN),
    recentTopUps: topUps.map((p) => ({ id: p.id, email: p.user.email, amount: p.amount, autoRecharge: p.autoRecharge, createdAt: p.createdAt })),
    counts: { users, admins, disabledUsers, channels: statusCounts, pricedModels },
  };
}
