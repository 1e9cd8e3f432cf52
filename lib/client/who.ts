/**
 * Who a client is, resolved in one place and once: the host name it sends as `cl_host_` and
 * writes into loaded definitions, the login name, and the user identity of user commands
 * (custom user, crypted password). ecflow_client reads its environment and password files once
 * per run; a long-lived client does the same per set of inputs (the DES crypt alone costs
 * ~0.7 ms, too much for every request).
 *
 * @module
 */
import type { EnvReader } from "../env.ts";
import { clientHostName, userName } from "../identity.ts";
import { resolveUserIdentity } from "../auth/credentials.ts";
import type { TaskIdentity, UserIdentity } from "../wire/request.ts";
import type { TransportTarget } from "../transport/types.ts";

/** What identifies the client, as given (each optional). */
export interface WhoOptions {
  /** Host name to send (default: this machine's). */
  clientHost?: string;
  /** Login name to send (default: this user's). */
  user?: string;
  /** Custom user (`--user`, `ECF_USER`). */
  customUser?: string;
  /** Plain password. */
  password?: string;
}

/** The job a task command comes from (the parts of a job context that identify it). */
export interface JobIdentity {
  /** Task path (`ECF_NAME`). */
  path: string;
  /** Jobs password (`ECF_PASS`). */
  password: string;
  /** Process or remote id (`ECF_RID`). */
  remoteId: string;
  /** Try number (`ECF_TRYNO`). */
  tryNo: number;
}

/** The one resolver of a client's identity. */
export class Who {
  #env: EnvReader;
  #options: WhoOptions;
  #host?: string;
  #login?: string;
  /** User identities resolved so far, by server (`host:port`). */
  #users = new Map<string, UserIdentity>();

  /** Resolves from `options`, falling back to the environment `env`. */
  constructor(env: EnvReader, options: WhoOptions = {}) {
    this.#env = env;
    this.#options = { ...options };
  }

  /** The host name sent as `cl_host_` and written into loaded definitions. */
  hostName(): string {
    return this.#host ??= this.#options.clientHost ?? clientHostName(this.#env);
  }

  /** The login name sent when there is no custom user. */
  loginName(): string {
    return this.#login ??= this.#options.user ?? userName(this.#env);
  }

  /** Sends user commands as this custom user from now on. */
  setCustomUser(name: string): void {
    this.#options.customUser = name;
    this.#users.clear();
  }

  /** Sends this password (crypted) with user commands from now on. */
  setPassword(password: string): void {
    this.#options.password = password;
    this.#users.clear();
  }

  /** The identity of a user command sent to `server` (password files are looked up per server). */
  user(server: TransportTarget): UserIdentity {
    const key = `${server.host}:${server.port}`;
    let identity = this.#users.get(key);
    if (!identity) {
      identity = resolveUserIdentity({
        host: server.host,
        port: server.port,
        clientHost: this.hostName(),
        customUser: this.#options.customUser,
        password: this.#options.password,
        loginName: this.loginName(),
        env: this.#env,
      });
      this.#users.set(key, identity);
    }
    return identity;
  }

  /** The identity of a task command sent by `job`. */
  task(job: JobIdentity): TaskIdentity {
    return {
      clientHost: this.hostName(),
      path: job.path,
      jobsPassword: job.password,
      remoteId: job.remoteId,
      tryNo: job.tryNo,
    };
  }
}
