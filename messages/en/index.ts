// One JSON file per namespace, so pages can be translated independently.
import common from "./common.json";
import nav from "./nav.json";
import auth from "./auth.json";
import landing from "./landing.json";
import dashboard from "./dashboard.json";
import keys from "./keys.json";
import usage from "./usage.json";
import billing from "./billing.json";
import models from "./models.json";
import playground from "./playground.json";
import docs from "./docs.json";
import admin from "./admin.json";
import errors from "./errors.json";
import account from "./account.json";
import mail from "./mail.json";

const messages = { common, nav, auth, landing, dashboard, keys, usage, billing, models, playground, docs, admin, errors, account, mail };
export default messages;
