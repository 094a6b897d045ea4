import type { Role } from "$lib/ipc";

/** A person's role on a desk as the window writes it (the core's `Role::label`): the vault's holders, *Assign…*'s
 * list of the desk's people, the header's "Reviewing as … (role)". */
export const PERSON_ROLE_LABELS: Record<Role, string> = {
  reporter: "reporter",
  editor: "editor",
  "standards-editor": "standards editor",
  lawyer: "lawyer",
  admin: "admin",
};

export const roleLabel = (role: Role): string => PERSON_ROLE_LABELS[role];
