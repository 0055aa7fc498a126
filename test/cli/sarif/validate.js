// validate.js - checks a SARIF file against the SARIF 2.1.0 JSON schema.
// The schema comes from @microsoft/jest-sarif (draft-04, hence ajv 6).
// Usage: node validate.js FILE.sarif; exit 0 when valid, 1 with the errors.
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv = require("ajv");

const schemaPath = path.join(__dirname, "node_modules", "@microsoft", "jest-sarif",
  "lib", "schemas", "sarif-2.1.0-rtm.5.json");
const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
const ajv = new Ajv({ schemaId: "id", allErrors: true, logger: false });
ajv.addMetaSchema(require("ajv/lib/refs/json-schema-draft-04.json"));
const validate = ajv.compile(schema);
const doc = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
if (validate(doc)) {
  process.exit(0);
}
for (const e of validate.errors) {
  console.log(`${e.dataPath || "/"}: ${e.message}`);
}
process.exit(1);
