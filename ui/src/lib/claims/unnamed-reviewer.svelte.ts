// On this computer's file, until the reviewer gives a name, changes are recorded under the computer's login
// (often "root" or a short account name nobody reads as a person). The window shows that login as "you": the
// audit trail keeps what it recorded. On a team store there is no such moment: every change is recorded as the
// login the server authenticated, and shown as it.

/** The login changes are recorded under while no name is set, or null (a name is set, or a team store). */
export const unnamedReviewer = $state<{ login: string | null }>({ login: null });
