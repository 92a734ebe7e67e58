import { Initial1700000000000 } from "./1700000000000-initial";

/** Every migration, oldest first. Add new ones at the end. */
export const migrations = [Initial1700000000000];
