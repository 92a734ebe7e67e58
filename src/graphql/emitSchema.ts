// Writes schema/schema.graphql from the code: `npm run schema:emit`.
import fs from "node:fs";
import path from "node:path";
import { printSdl } from "./schema";

fs.writeFileSync(path.resolve(__dirname, "../../schema/schema.graphql"), printSdl());
