// Validates rendered Kubernetes objects (the output of `kubectl kustomize`) against the Kubernetes schemas,
// offline, with kubernetes-models. Every object must be of a known apiVersion/kind and valid.
//
//   kubectl kustomize k8s/overlays/production | node tools/k8s-validate.mjs [--json out.json]
//
// With --json the parsed objects are also written as a JSON array, for checks that read them (the manifest
// sync test). Exit code 1 and one line per problem when anything is invalid.
import { readFileSync, writeFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const args = process.argv.slice(2);
const jsonIndex = args.indexOf("--json");
const jsonOut = jsonIndex >= 0 ? args[jsonIndex + 1] : undefined;
const inputPath = args.find((a, i) => !a.startsWith("--") && (jsonIndex < 0 || i !== jsonIndex + 1));
const text = readFileSync(inputPath ?? 0, "utf8");

// Custom resources the manifests use, by API group; everything else is a built-in Kubernetes API.
const customResourceModels = {
  "external-secrets.io": "@kubernetes-models/external-secrets",
};

function modelPackage(apiVersion) {
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  return customResourceModels[group] ?? "kubernetes-models";
}

const problems = [];
const objects = [];
for (const doc of parseAllDocuments(text)) {
  if (doc.errors.length > 0) {
    problems.push(...doc.errors.map((e) => `YAML: ${e.message}`));
    continue;
  }
  const value = doc.toJS();
  if (value !== null && value !== undefined) objects.push(value);
}

for (const object of objects) {
  const { apiVersion, kind } = object;
  const name = `${kind ?? "?"}/${object.metadata?.name ?? "?"}`;
  if (!apiVersion || !kind) {
    problems.push(`${name}: apiVersion and kind are required`);
    continue;
  }
  let models;
  try {
    models = await import(`${modelPackage(apiVersion)}/${apiVersion}`);
  } catch {
    problems.push(`${name}: unknown apiVersion ${apiVersion}`);
    continue;
  }
  const Model = models[kind];
  if (typeof Model !== "function") {
    problems.push(`${name}: unknown kind ${kind} in ${apiVersion}`);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    problems.push(`${name}: ${error.message}`);
  }
}

if (jsonOut) writeFileSync(jsonOut, JSON.stringify(objects, null, 2));
for (const problem of problems) console.error(problem);
console.log(`${objects.length} objects, ${problems.length} problems`);
process.exit(problems.length > 0 || objects.length === 0 ? 1 : 0);
