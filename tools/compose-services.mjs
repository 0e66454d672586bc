// Prints docker-compose.yml's services as JSON with YAML anchors and merge keys (<<) resolved, so checks can
// read what each service really gets: node tools/compose-services.mjs docker-compose.yml
import { readFileSync } from "node:fs";
import { parse } from "yaml";

const compose = parse(readFileSync(process.argv[2] ?? "docker-compose.yml", "utf8"), { merge: true });
process.stdout.write(JSON.stringify(compose.services ?? {}, null, 2));
