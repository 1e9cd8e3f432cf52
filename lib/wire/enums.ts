/**
 * The server's enum numberings, by the names ecflow_client gives them: one table per
 * enum-valued member of a command class. The request builders look names up here, and the
 * encoding guard derives the accepted range of each member from the same tables, so a value
 * outside them can never reach a server (an out-of-range `CtsCmd.api_` aborts a 5.9.2 server).
 * Values are those of 5.9.2; the names 5.13+ added at the end of an enum are included (a 5.9.2
 * server ignores them). Pure data.
 *
 * @module
 */

/** `CtsCmd.api_`: server-wide commands without arguments. */
export const CTS_API = {
  restore_from_checkpt: 1,
  restart: 2,
  shutdown: 3,
  halt: 4,
  terminate: 5,
  reloadwsfile: 6,
  "force-dep-eval": 7,
  ping: 8,
  zombie_get: 9,
  stats: 10,
  suites: 11,
  debug_server_on: 12,
  debug_server_off: 13,
  server_load: 14,
  stats_reset: 15,
  reloadpasswdfile: 16,
  stats_server: 17,
  reloadcustompasswdfile: 18,
} as const;

/** `CtsNodeCmd.api_`: commands on the whole definition or one node. */
export const CTS_NODE_API = {
  job_gen: 1,
  checkJobGenOnly: 2,
  get: 3,
  why: 4,
  get_state: 5,
  migrate: 6,
} as const;

/** `PathsCmd.api_`: commands over node paths. */
export const PATHS_API = {
  suspend: 1,
  resume: 2,
  kill: 3,
  status: 4,
  check: 5,
  edit_history: 6,
  archive: 7,
  restore: 8,
} as const;

/** `CSyncCmd.api_`: news and synchronisation. */
export const SYNC_API = { news: 0, sync: 1, sync_full: 2, sync_clock: 3 } as const;

/** `ClientHandleCmd.api_`: client handles (suite filters for news and sync). */
export const CLIENT_HANDLE_API = {
  ch_register: 0,
  ch_drop: 1,
  ch_drop_user: 2,
  ch_add: 3,
  ch_rem: 4,
  ch_auto_add: 5,
  ch_suites: 6,
} as const;

/** `CheckPtCmd.mode_` (`undefined` = keep the mode). */
export const CHECKPT_MODE = { never: 0, on_time: 1, always: 2, undefined: 3 } as const;

/** `LogCmd.api_`. */
export const LOG_API = { get: 0, clear: 1, flush: 2, new: 3, path: 4 } as const;

/** `ZombieCmd.user_action_` (`ecf::User::Action`, later `ZombieCtrlAction`: same values). */
export const ZOMBIE_USER_ACTION = {
  fob: 0,
  fail: 1,
  adopt: 2,
  remove: 3,
  block: 4,
  kill: 5,
} as const;

/** `RequeueNodeCmd.option_`. */
export const REQUEUE_OPTION = { none: 0, abort: 1, force: 2 } as const;

/** `OrderNodeCmd.option_`. */
export const ORDER_OPTION = {
  top: 0,
  bottom: 1,
  alpha: 2,
  order: 3,
  up: 4,
  down: 5,
  runtime: 6,
} as const;

/** `CFileCmd.file_`. */
export const FILE_KIND = { script: 0, job: 1, jobout: 2, manual: 3, kill: 4, stat: 5 } as const;

/** `EditScriptCmd.edit_type_`. */
export const EDIT_TYPE = {
  edit: 0,
  pre_process: 1,
  submit: 2,
  pre_process_file: 3,
  submit_file: 4,
} as const;

/** `AlterCmd.add_attr_type_` (aviso, mirror: 5.13+; event, meter: 5.14+). */
export const ALTER_ADD = {
  time: 0,
  today: 1,
  date: 2,
  day: 3,
  zombie: 4,
  variable: 5,
  late: 7,
  limit: 8,
  inlimit: 9,
  label: 10,
  aviso: 11,
  mirror: 12,
  event: 13,
  meter: 14,
} as const;

/** `AlterCmd.del_attr_type_` (aviso, mirror: 5.13+). */
export const ALTER_DELETE = {
  variable: 0,
  time: 1,
  today: 2,
  date: 3,
  day: 4,
  cron: 5,
  event: 6,
  meter: 7,
  label: 8,
  trigger: 9,
  complete: 10,
  repeat: 11,
  limit: 12,
  limit_path: 13,
  inlimit: 14,
  zombie: 15,
  late: 17,
  queue: 18,
  generic: 19,
  aviso: 20,
  mirror: 21,
} as const;

/** `AlterCmd.change_attr_type_` (aviso, mirror: 5.13+). */
export const ALTER_CHANGE = {
  variable: 0,
  clock_type: 1,
  clock_date: 2,
  clock_gain: 3,
  event: 4,
  meter: 5,
  label: 6,
  trigger: 7,
  complete: 8,
  repeat: 9,
  limit_max: 10,
  limit_value: 11,
  defstatus: 12,
  clock_sync: 14,
  late: 15,
  time: 16,
  today: 17,
  aviso: 18,
  mirror: 19,
} as const;

/** `ecf::Flag::Type` (`AlterCmd.flag_type_`; remote_error: 5.13+). */
export const ALTER_FLAG = {
  force_aborted: 0,
  user_edit: 1,
  task_aborted: 2,
  edit_failed: 3,
  ecfcmd_failed: 4,
  no_script: 5,
  killed: 6,
  late: 7,
  message: 8,
  by_rule: 9,
  queue_limit: 10,
  task_waiting: 11,
  locked: 12,
  zombie: 13,
  no_reque: 14,
  archived: 15,
  restored: 16,
  threshold: 17,
  sigterm: 18,
  log_error: 20,
  checkpt_error: 21,
  killcmd_failed: 22,
  statuscmd_failed: 23,
  status: 24,
  remote_error: 25,
} as const;

/**
 * The `AlterCmd` kinds that servers before 5.13 (aviso, mirror, remote_error) or 5.14 (add event,
 * add meter) do not know; a 5.9.2 server ignores them, and ecflow_client 5.9.2 refuses them.
 */
export const ALTER_KINDS_SINCE_5_13 = {
  add: ["aviso", "mirror", "event", "meter"],
  delete: ["aviso", "mirror"],
  change: ["aviso", "mirror"],
  flag: ["remote_error"],
} as const;

/**
 * The "not this action" values an `AlterCmd` carries in the members of the actions it does
 * not perform (the server expects them there).
 */
export const ALTER_NOT_DEFINED = { add: 6, delete: 16, change: 13, flag: 19 } as const;

/** An enum table: names to the server's numbers. */
export type EnumTable = Readonly<Record<string, number>>;

/**
 * The enum tables of each command class, by member. The encoding guard accepts, for each
 * member, the values from the smallest to the largest of its table (and its "not defined"
 * value, for `AlterCmd`).
 */
export const COMMAND_ENUMS: Readonly<Record<string, Readonly<Record<string, EnumTable>>>> = {
  CtsCmd: { api_: CTS_API },
  CtsNodeCmd: { api_: CTS_NODE_API },
  PathsCmd: { api_: PATHS_API },
  CSyncCmd: { api_: SYNC_API },
  ClientHandleCmd: { api_: CLIENT_HANDLE_API },
  CheckPtCmd: { mode_: CHECKPT_MODE },
  LogCmd: { api_: LOG_API },
  ZombieCmd: { user_action_: ZOMBIE_USER_ACTION },
  RequeueNodeCmd: { option_: REQUEUE_OPTION },
  OrderNodeCmd: { option_: ORDER_OPTION },
  CFileCmd: { file_: FILE_KIND },
  EditScriptCmd: { edit_type_: EDIT_TYPE },
  AlterCmd: {
    add_attr_type_: { ...ALTER_ADD, not_defined: ALTER_NOT_DEFINED.add },
    del_attr_type_: { ...ALTER_DELETE, not_defined: ALTER_NOT_DEFINED.delete },
    change_attr_type_: { ...ALTER_CHANGE, not_defined: ALTER_NOT_DEFINED.change },
    flag_type_: { ...ALTER_FLAG, not_defined: ALTER_NOT_DEFINED.flag },
  },
};
