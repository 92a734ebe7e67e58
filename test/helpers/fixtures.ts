import path from "node:path";

/**
 * The publisher's reference page (a copy of shared/pages/000_18f4e1abf9f421f7.txt,
 * kept in the repository so the suite runs from any clone).
 */
export const REFERENCE_PAGE_FILE = path.resolve(__dirname, "../fixtures/pages/000_18f4e1abf9f421f7.txt");
