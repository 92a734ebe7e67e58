import { Initial1700000000000 } from "./1700000000000-initial";
import { Search1700000000100 } from "./1700000000100-search";

/** Every migration, oldest first. Add new ones at the end. */
export const migrations = [Initial1700000000000, Search1700000000100];
