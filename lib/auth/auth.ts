import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { PrismaAdapter } from "@auth/prisma-adapter";
import { getDb, Role } from "../db/client";
import { loadSecrets } from "../config/secrets";
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from "./password";
import { SignInThrottle } from "./throttle";
import { normalizeEmail, signupCredit } from "../users/users";
import { claimFirstAdmin } from "../users/first-admin";
import { grantSignupCredit } from "../billing/redemption";
import { CLIENT_IP_HEADER } from "./client-ip";
import { endPortalSession, SESSION_MAX_AGE_S, startPortalSession } from "./portal-sessions";
import { logger } from "../observability/log";

/** Codes travel to the sign-in form, which turns them into readable messages. */
class InvalidCredentials extends CredentialsSignin {
  code = "invalid_credentials";
}
class TooManyAttempts extends CredentialsSignin {
  code = "too_many_attempts";
}
class AccountDisabled extends CredentialsSignin {
  code = "account_disabled";
}

const throttle = new SignInThrottle();

/** OAuth providers appear only when the operator configured them. */
export function oauthProviders() {
  return [
    process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET ? { id: "github", name: "GitHub" } : null,
    process.env.AUTH_GOOGLE_ID && process.env.AUTH_GOOGLE_SECRET ? { id: "google", name: "Google" } : null,
  ].filter((p): p is { id: string; name: string } => p !== null);
}

function config(): NextAuthConfig {
  const db = getDb();
  const oauth = oauthProviders().map((p) => (p.id === "github" ? GitHub : Google));
  return {
    secret: loadSecrets().authSecret,
    trustHost: true,
    // The adapter is only used by OAuth sign-ins (account linking); sessions are JWTs.
    adapter: PrismaAdapter(db as never),
    // JWT sessions, each backed by a PortalSession row so it can be ended server-side (portal-sessions.ts).
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    logger: {
      // A wrong password is an expected outcome, not a server error worth a stack trace.
      error(error) {
        if (!(error instanceof CredentialsSignin) && (error as { type?: string }).type !== "CredentialsSignin") logger("auth").error({ event: "auth.error", err: error }, "Authentication error");
      },
    },
    providers: [
      Credentials({
        credentials: { email: { type: "email" }, password: { type: "password" } },
        async authorize(credentials, request) {
          const email = normalizeEmail(String(credentials?.email ?? ""));
          const password = String(credentials?.password ?? "");
          const address = request.headers.get(CLIENT_IP_HEADER) ?? "unknown";
          if (throttle.isBlocked(email, address)) throw new TooManyAttempts();
          // Failures against this account from anywhere slow its sign-ins down but never lock it.
          const delay = throttle.delayMs(email);
          if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
          const user = email ? await db.user.findUnique({ where: { email } }) : null;
          // Compare against a dummy hash for unknown accounts so response time does not reveal them.
          const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
          if (!user || !user.passwordHash || !valid) {
            throttle.fail(email, address);
            throw new InvalidCredentials();
          }
          if (user.disabled) throw new AccountDisabled();
          throttle.succeed(email, address);
          // Legacy bcrypt hashes become scrypt at the first successful sign-in.
          if (needsRehash(user.passwordHash)) {
            const rehashed = await hashPassword(password);
            await db.user.updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash: rehashed } });
          }
          return { id: user.id, email: user.email, name: user.name };
        },
      }),
      ...oauth,
    ],
    callbacks: {
      async jwt({ token, user }) {
        // `user` is present only at sign-in: that is when this session's server-side record starts.
        if (user?.id) {
          token.uid = user.id;
          token.sid = await startPortalSession(db, user.id);
        }
        return token;
      },
      session({ session, token }) {
        if (token.uid) session.user.id = token.uid as string;
        // Read by getCurrentUser to check the session is still live; alone it cannot forge a cookie.
        (session as typeof session & { sid?: string }).sid = token.sid as string | undefined;
        return session;
      },
    },
    events: {
      // Ends this session server-side too: a copied cookie stops working with the sign-out.
      async signOut(message) {
        const sid = "token" in message ? (message.token?.sid as string | undefined) : undefined;
        if (sid) await endPortalSession(db, sid);
      },
      // OAuth sign-ups are created by the adapter; the same atomic first-account rule applies.
      // ADMIN_EMAIL is not honoured here: admin comes from a verified address (email verification).
      async createUser({ user }) {
        if (!user.id) return;
        if (user.email && (await db.user.count()) === 1 && (await claimFirstAdmin(db, user.email))) {
          await db.user.update({ where: { id: user.id }, data: { role: Role.ADMIN } });
        }
        await grantSignupCredit(db, user.id, signupCredit());
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(config);
