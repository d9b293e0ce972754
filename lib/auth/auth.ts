import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { PrismaAdapter } from "@auth/prisma-adapter";
import { getDb, Role } from "../db/client";
import { loadSecrets } from "../config/secrets";
import { dummyPasswordHash, verifyPassword } from "./password";
import { SignInThrottle } from "./throttle";
import { isListedAdmin, normalizeEmail, signupCredit } from "../users/users";
import { grantSignupCredit } from "../billing/redemption";
import { CLIENT_IP_HEADER } from "./client-ip";

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
    session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    logger: {
      // A wrong password is an expected outcome, not a server error worth a stack trace.
      error(error) {
        if (!(error instanceof CredentialsSignin) && (error as { type?: string }).type !== "CredentialsSignin") console.error(error);
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
          const user = email ? await db.user.findUnique({ where: { email } }) : null;
          // Compare against a dummy hash for unknown accounts so response time does not reveal them.
          const valid = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
          if (!user || !user.passwordHash || !valid) {
            throttle.fail(email, address);
            throw new InvalidCredentials();
          }
          if (user.disabled) throw new AccountDisabled();
          throttle.succeed(email);
          return { id: user.id, email: user.email, name: user.name };
        },
      }),
      ...oauth,
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user?.id) token.uid = user.id;
        return token;
      },
      session({ session, token }) {
        if (token.uid) session.user.id = token.uid as string;
        return session;
      },
    },
    events: {
      // OAuth sign-ups are created by the adapter; give them the same first-user/ADMIN_EMAIL rule.
      async createUser({ user }) {
        if (!user.id) return;
        if (user.email && (await shouldBeAdminAfterCreate(user.email))) {
          await db.user.update({ where: { id: user.id }, data: { role: Role.ADMIN } });
        }
        await grantSignupCredit(db, user.id, signupCredit());
      },
    },
  };

  async function shouldBeAdminAfterCreate(email: string) {
    return isListedAdmin(email) || (await db.user.count()) === 1;
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth(config);
