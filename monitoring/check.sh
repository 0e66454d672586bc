#!/usr/bin/env bash
# Checks the monitoring configuration of the Dev2Prod bot:
#
#   1. prometheus.yml            promtool check config (+ Kubernetes SD relabel simulation)
#   2. rule_files globs          only real rule files are matched
#   3. alerts/bot-alerts.yml     promtool check rules
#   4. alerts/bot-alerts.test.yml promtool test rules
#   5. alert conventions         severity, summary, description, runbook_url,
#                                runbook present, fire + silent test per alert
#   6. Grafana                   dashboard JSON parses, datasource uid, panel
#                                queries parse as PromQL and use only known
#                                metrics and labels, provisioning files
#
# Usage (from the repository root):  bash monitoring/check.sh
# Exits non-zero when any check fails. Installs promtool (Debian package
# "prometheus") when it is missing and the script runs as root.

set -uo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
cd "$REPO_ROOT" || exit 2

MON=monitoring
CONFIG=$MON/prometheus.yml
RULES=$MON/alerts/bot-alerts.yml
TESTS=$MON/alerts/bot-alerts.test.yml
DASHBOARD_DIR=$MON/grafana/dashboards
DATASOURCES=$MON/grafana/provisioning/datasources/prometheus.yml
DASH_PROVIDERS=$MON/grafana/provisioning/dashboards/dashboards.yml
RUNBOOKS=docs/operations/runbooks

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

PASSED=()
FAILED=()

step() { printf '\n==> %s\n' "$*"; }
ok() { PASSED+=("$1"); printf -- '--> ok: %s\n' "$1"; }
fail() { FAILED+=("$1"); printf -- '--> FAILED: %s\n' "$1"; }

# run NAME CMD...: run a check, record its result.
run() {
  local name=$1
  shift
  if "$@"; then ok "$name"; else fail "$name"; fi
}

# --------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------
is_root() { [ "$(id -u)" = 0 ]; }

ensure_promtool() {
  command -v promtool >/dev/null 2>&1 && return 0
  if is_root && command -v apt-get >/dev/null 2>&1; then
    echo "promtool not found: installing the Debian package 'prometheus' (it ships promtool)"
    local before pid
    before=" $(pgrep -x prometheus | tr '\n' ' ') "
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get -o DPkg::Lock::Timeout=300 update -qq &&
      apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends prometheus; } \
      >"$TMP/apt-prometheus.log" 2>&1; then
      cat "$TMP/apt-prometheus.log" >&2
      return 1
    fi
    # The package may start a prometheus server; stop it so that port 9090
    # stays free. Only processes that appeared with the install are ended.
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
      systemctl stop prometheus 2>/dev/null || true
    fi
    for pid in $(pgrep -x prometheus); do
      case "$before" in *" $pid "*) ;; *) kill "$pid" 2>/dev/null || true ;; esac
    done
    command -v promtool >/dev/null 2>&1
  else
    cat >&2 <<'EOF'
promtool is not installed. Install it, then run this script again:
  Debian/Ubuntu:  sudo apt-get install prometheus      (ships /usr/bin/promtool)
  elsewhere:      the Prometheus release archive for your platform contains promtool;
                  put it on PATH.
EOF
    return 1
  fi
}

# A python3 that can import yaml (PyYAML).
PY=""
ensure_python() {
  local cand
  for cand in python3 /usr/bin/python3; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import yaml' 2>/dev/null; then
      PY=$cand
      return 0
    fi
  done
  if is_root && command -v apt-get >/dev/null 2>&1; then
    echo "PyYAML not found: installing the Debian package 'python3-yaml'"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get -o DPkg::Lock::Timeout=300 update -qq &&
      apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends python3 python3-yaml; } \
      >"$TMP/apt-python.log" 2>&1; then
      cat "$TMP/apt-python.log" >&2
      return 1
    fi
    /usr/bin/python3 -c 'import yaml' && PY=/usr/bin/python3 && return 0
  fi
  echo "python3 with PyYAML is required: install python3 and python3-yaml (Debian) or PyYAML" >&2
  return 1
}

step "Tools"
if ! ensure_promtool; then
  echo "FAILED: promtool is required" >&2
  exit 2
fi
if ! ensure_python; then
  echo "FAILED: python3 with PyYAML is required" >&2
  exit 2
fi
echo "promtool: $(promtool --version 2>&1 | head -n 1)"
echo "python:   $($PY --version 2>&1) ($PY)"

# --------------------------------------------------------------------------
# The Python half of the checks, with the list of metrics the services export.
# --------------------------------------------------------------------------
cat >"$TMP/checks.py" <<'PY'
import glob, json, os, re, sys
import yaml

# Metrics the services export: name -> (type, labels, {label: allowed values}).
# Histograms also expose <name>_bucket (with le), <name>_sum and <name>_count.
METRICS = {
    "http_requests_total": ("counter", {"method", "endpoint", "status"}, {}),
    "http_request_duration_seconds": ("histogram", {"method", "endpoint"}, {}),
    "llm_requests_total": ("counter", {"model", "status"},
                           {"status": {"success", "error", "timeout", "rejected_quota", "rejected_budget"}}),
    "llm_response_time_seconds": ("histogram", {"model"}, {}),
    "llm_tokens_used_total": ("counter", {"model"}, {}),
    "llm_daily_cost_usd": ("gauge", set(), {}),
    "llm_daily_budget_usd": ("gauge", set(), {}),
    "llm_dead_letter_total": ("counter", set(), {}),
    "conversations_started_total": ("counter", set(), {}),
    "conversations_active": ("gauge", set(), {}),
    "conversations_escalated_total": ("counter", {"reason"}, {}),
    "messages_processed_total": ("counter", {"sender_type"},
                                 {"sender_type": {"user", "bot", "llm", "agent"}}),
    "leads_created_total": ("counter", {"score"}, {"score": {"hot", "warm", "cold"}}),
    "db_connection_pool_usage": ("gauge", set(), {}),
    "db_query_duration_seconds": ("histogram", {"operation"}, {}),
    "redis_operations_total": ("counter", {"operation", "status"}, {"status": {"success", "error"}}),
    "rate_limit_exceeded_total": ("counter", {"user_type"}, {}),
    "telegram_webhook_rejected_total": ("counter", {"reason"},
                                        {"reason": {"unauthorized", "malformed", "unavailable"}}),
    "telegram_outbox_pending": ("gauge", set(), {}),
    "telegram_api_errors_total": ("counter", {"method", "code"}, {}),
    "handoff_time_to_claim_seconds": ("histogram", set(), {}),
    "handoff_time_to_first_agent_response_seconds": ("histogram", set(), {}),
    "csat_ratings_total": ("counter", {"rating"}, {"rating": {"1", "2", "3", "4", "5"}}),
    "up": ("gauge", set(), {}),
}
# Labels Prometheus attaches to every scraped series (see prometheus.yml).
TARGET_LABELS = {"job", "instance", "namespace", "pod", "node", "app", "version", "env"}
KEYWORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
            "group_left", "group_right", "atan2", "inf", "nan"}
GRAFANA_VARS = {"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h"}

SERIES = {}  # exported series name -> (base metric, labels, allowed values)
for _name, (_kind, _labels, _values) in METRICS.items():
    if _kind == "histogram":
        SERIES[_name + "_bucket"] = (_name, _labels | {"le"}, _values)
        SERIES[_name + "_sum"] = (_name, _labels, _values)
        SERIES[_name + "_count"] = (_name, _labels, _values)
    else:
        SERIES[_name] = (_name, _labels, _values)

STRING = r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`'
SELECTOR = re.compile(r'(?<![\w:])([A-Za-z_:][\w:]*)?\s*\{((?:[^{}"\'`]|' + STRING + r')*)\}')
MATCHER = re.compile(r'([A-Za-z_]\w*)\s*(=~|!~|!=|=)\s*(' + STRING + r')')
GROUPING = re.compile(r'\b(by|without|on|ignoring|group_left|group_right)\s*\(([^()]*)\)')
IDENT = re.compile(r'(?<![\w:.$])([A-Za-z_:][\w:]*)')


def grafana_to_promql(expr):
    out = expr
    for var, value in GRAFANA_VARS.items():
        out = out.replace(var, value)
    left = re.findall(r'\$\{?\w+\}?', out)
    return out, left


def metric_problems(expr, where):
    """Return a list of problems with the metric and label names of expr."""
    problems = []
    text, unknown_vars = grafana_to_promql(expr)
    for var in unknown_vars:
        problems.append(f"{where}: unknown dashboard variable {var}")
    names, labels_used = set(), []
    # 1. selectors with label matchers
    def sub_selector(m):
        name, body = m.group(1), m.group(2)
        matchers = MATCHER.findall(body)
        if name is None:
            for label, op, value in matchers:
                if label == "__name__" and op == "=":
                    name = value[1:-1]
        if name is None:
            problems.append(f"{where}: selector without a metric name: {m.group(0)}")
            return " "
        for label, op, value in matchers:
            if label != "__name__":
                labels_used.append((name, label, op, value[1:-1]))
        return f" {name} "
    text = SELECTOR.sub(sub_selector, text)
    text = re.sub(STRING, " ", text)
    # 2. grouping label lists
    grouping = []
    def sub_grouping(m):
        grouping.extend(l.strip() for l in m.group(2).split(",") if l.strip())
        return " "
    text = GROUPING.sub(sub_grouping, text)
    # 3. range / subquery brackets
    text = re.sub(r'\[[^\]]*\]', " ", text)
    # 4. remaining identifiers that are not functions or keywords are metrics
    for m in IDENT.finditer(text):
        ident = m.group(1)
        rest = text[m.end():].lstrip()
        if rest.startswith("(") or ident.lower() in KEYWORDS:
            continue
        names.add(ident)
    for name in sorted(names):
        if name not in SERIES:
            hint = " (a histogram: use _bucket/_sum/_count)" if name in METRICS else ""
            problems.append(f"{where}: unknown metric {name}{hint}")
    all_labels = set(TARGET_LABELS)
    for name in names:
        if name in SERIES:
            all_labels |= SERIES[name][1]
    for name, label, op, value in labels_used:
        if name not in SERIES:
            continue
        _, known, allowed = SERIES[name]
        if label not in known | TARGET_LABELS:
            problems.append(f"{where}: metric {name} has no label {label}")
            continue
        if label in allowed and op in ("=", "=~") and re.fullmatch(r'[\w|]+', value or "-"):
            for v in value.split("|") if op == "=~" else [value]:
                if v not in allowed[label]:
                    problems.append(f"{where}: {name}{{{label}}} never has value {v!r} "
                                    f"(known: {', '.join(sorted(allowed[label]))})")
    for label in grouping:
        if label not in all_labels:
            problems.append(f"{where}: grouping label {label} is not a label of the metrics used")
    return problems, names


def load_yaml(path):
    with open(path) as f:
        return yaml.safe_load(f)


def alerts_of(rules_path):
    doc = load_yaml(rules_path)
    for group in doc.get("groups", []):
        for rule in group.get("rules", []):
            if "alert" in rule:
                yield rule


# ---------------------------------------------------------------- commands
def cmd_k8s_probe(out_dir):
    """Write a config that only a promtool with Kubernetes SD accepts."""
    path = os.path.join(out_dir, "k8s-probe.yml")
    with open(path, "w") as f:
        yaml.safe_dump({"scrape_configs": [{"job_name": "probe",
                                            "kubernetes_sd_configs": [{"role": "pod"}]}]}, f)
    print(path)
    return 0


def cmd_config_without_k8s(config, out_dir):
    """Copy of the config with kubernetes_sd_configs swapped for static_configs
    and relative paths made absolute, for a promtool built without Kubernetes
    service discovery (Debian's)."""
    base = os.path.dirname(os.path.abspath(config))
    cfg = load_yaml(config)
    absolute = lambda p: p if os.path.isabs(p) else os.path.join(base, p)
    cfg["rule_files"] = [absolute(p) for p in cfg.get("rule_files", [])]
    for sc in cfg.get("scrape_configs", []):
        if sc.pop("kubernetes_sd_configs", None) is not None:
            sc.setdefault("static_configs", []).append({"targets": ["kubernetes-pod.invalid:8080"]})
        for fsd in sc.get("file_sd_configs", []):
            fsd["files"] = [absolute(p) for p in fsd.get("files", [])]
    path = os.path.join(out_dir, "prometheus.yml")
    with open(path, "w") as f:
        yaml.safe_dump(cfg, f, sort_keys=False)
    print(path)
    return 0


def expand(match, template):
    """Go regexp Expand: $1, ${1}, $name, ${name}; unknown groups expand to ''."""
    def group(g):
        key = g.group(1) or g.group(2)
        try:
            return match.group(int(key) if key.isdigit() else key) or ""
        except (IndexError, error_type):
            return ""
    return re.sub(r'\$(?:\{(\w+)\}|(\w+))', group, template)


error_type = re.error


def relabel(labels, configs):
    """Prometheus relabelling (replace, keep, drop, labelmap, labeldrop, labelkeep)."""
    labels = dict(labels)
    for c in configs:
        action = c.get("action", "replace")
        regex = re.compile("^(?:" + str(c.get("regex", "(.*)")) + ")$")
        value = c.get("separator", ";").join(labels.get(s, "") for s in c.get("source_labels", []))
        if action == "keep":
            if not regex.match(value):
                return None
        elif action == "drop":
            if regex.match(value):
                return None
        elif action == "replace":
            m = regex.match(value)
            if not m:
                continue
            res = expand(m, str(c.get("replacement", "$1")))
            if res:
                labels[c["target_label"]] = res
            else:
                labels.pop(c["target_label"], None)
        elif action == "labelmap":
            for k, v in list(labels.items()):
                m = regex.match(k)
                if m:
                    labels[expand(m, str(c.get("replacement", "$1")))] = v
        elif action == "labeldrop":
            labels = {k: v for k, v in labels.items() if not regex.match(k)}
        elif action == "labelkeep":
            labels = {k: v for k, v in labels.items() if regex.match(k)}
        else:
            raise ValueError(f"relabel action {action} is not simulated")
    return labels


def pod(app, address="10.1.2.3:80", phase="Running", annotations=None, namespace="dev2prod-bot"):
    labels = {
        "__address__": address,
        "__meta_kubernetes_namespace": namespace,
        "__meta_kubernetes_pod_name": f"{app}-7d9f8b6c5-x2x4q",
        "__meta_kubernetes_pod_phase": phase,
        "__meta_kubernetes_pod_node_name": "node-1",
        "__meta_kubernetes_pod_label_app_kubernetes_io_name": app,
        "__meta_kubernetes_pod_labelpresent_app_kubernetes_io_name": "true",
    }
    for key, value in (annotations or {}).items():
        name = re.sub(r"[^a-zA-Z0-9_]", "_", key)
        labels[f"__meta_kubernetes_pod_annotation_{name}"] = value
        labels[f"__meta_kubernetes_pod_annotationpresent_{name}"] = "true"
    return labels


SCRAPE = {"prometheus.io/scrape": "true", "prometheus.io/port": "8080", "prometheus.io/path": "/metrics"}


def cmd_k8s_sd(config):
    """Check the Kubernetes pod discovery job: namespace restriction and a
    simulation of its relabelling on typical pods."""
    cfg = load_yaml(config)
    jobs = [sc for sc in cfg.get("scrape_configs", []) if "kubernetes_sd_configs" in sc]
    if len(jobs) != 1:
        print(f"expected exactly one job with kubernetes_sd_configs, found {len(jobs)}")
        return 1
    job = jobs[0]
    errors = []
    for sd in job["kubernetes_sd_configs"]:
        if sd.get("role") != "pod":
            errors.append(f"kubernetes_sd_configs role is {sd.get('role')!r}, expected 'pod'")
        if (sd.get("namespaces") or {}).get("names") != ["dev2prod-bot"]:
            errors.append("kubernetes_sd_configs must be restricted to namespaces.names: [dev2prod-bot]")
    defaults = {"job": job["job_name"], "__metrics_path__": job.get("metrics_path", "/metrics"),
                "__scheme__": job.get("scheme", "http")}
    cases = [
        ("api pod, annotated port replaces the container port",
         pod("api", "10.1.2.3:80", annotations=SCRAPE),
         {"__address__": "10.1.2.3:8080", "__metrics_path__": "/metrics", "__scheme__": "http",
          "job": "api", "app": "api", "namespace": "dev2prod-bot", "pod": "api-7d9f8b6c5-x2x4q"}),
        ("worker pod without a container port gets the annotated one",
         pod("worker", "10.1.2.4", annotations={**SCRAPE, "prometheus.io/port": "9464"}),
         {"__address__": "10.1.2.4:9464", "job": "worker"}),
        ("admin pod with a custom metrics path",
         pod("admin", "10.1.2.5:8080", annotations={**SCRAPE, "prometheus.io/path": "/internal/metrics"}),
         {"__address__": "10.1.2.5:8080", "__metrics_path__": "/internal/metrics", "job": "admin"}),
        ("api pod without a port annotation keeps its container port",
         pod("api", "10.1.2.6:8080", annotations={"prometheus.io/scrape": "true"}),
         {"__address__": "10.1.2.6:8080", "__metrics_path__": "/metrics", "job": "api"}),
        ("pod of another app is dropped", pod("redis", annotations=SCRAPE), None),
        ("api pod without prometheus.io/scrape is dropped", pod("api", annotations={}), None),
        ("api pod with prometheus.io/scrape=false is dropped",
         pod("api", annotations={**SCRAPE, "prometheus.io/scrape": "false"}), None),
        ("finished api pod is dropped", pod("api", phase="Succeeded", annotations=SCRAPE), None),
    ]
    for name, meta, expected in cases:
        result = relabel({**defaults, **meta}, job.get("relabel_configs", []))
        if expected is None:
            if result is not None:
                errors.append(f"{name}: kept, expected dropped")
            else:
                print(f"  ok  {name}")
            continue
        if result is None:
            errors.append(f"{name}: dropped, expected kept")
            continue
        wrong = {k: (result.get(k), v) for k, v in expected.items() if result.get(k) != v}
        if wrong:
            errors.append(f"{name}: " + ", ".join(f"{k}={g!r} (expected {e!r})" for k, (g, e) in wrong.items()))
        else:
            print(f"  ok  {name}")
    for e in errors:
        print(f"  ERROR {e}")
    return 1 if errors else 0


def cmd_rule_globs(config, must_match):
    """Print the files matched by rule_files; fail if a test file or nothing
    is matched, or if must_match is not among them."""
    base = os.path.dirname(os.path.abspath(config))
    cfg = load_yaml(config)
    matched, errors = [], []
    for pattern in cfg.get("rule_files", []):
        files = sorted(glob.glob(os.path.join(base, pattern)))
        if not files:
            errors.append(f"rule_files pattern {pattern!r} matches no file")
        matched += files
    for f in matched:
        doc = load_yaml(f) or {}
        if "tests" in doc or "rule_files" in doc:
            errors.append(f"rule_files matches the unit-test file {os.path.relpath(f)}: "
                          "Prometheus would fail to load it as rules")
    if os.path.abspath(must_match) not in [os.path.abspath(f) for f in matched]:
        errors.append(f"rule_files does not load {must_match}")
    for e in errors:
        print(f"  ERROR {e}", file=sys.stderr)
    for f in matched:
        print(os.path.relpath(f))
    return 1 if errors else 0


def cmd_alerts(rules_path, tests_path, runbook_dir):
    """Every alert: severity label, summary/description/runbook_url annotations,
    a runbook, known metrics, and unit tests that make it fire and stay silent."""
    errors = []
    alerts = list(alerts_of(rules_path))
    names = [a["alert"] for a in alerts]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        errors.append(f"duplicate alert names: {', '.join(sorted(dupes))}")
    tests = load_yaml(tests_path)
    firing, silent = set(), set()
    for group in tests.get("tests", []):
        for series in group.get("input_series", []):
            problems, _ = metric_problems(series["series"], f"test series in {group.get('name')!r}")
            errors += problems
        for art in group.get("alert_rule_test", []):
            (firing if art.get("exp_alerts") else silent).add(art["alertname"])
    for a in alerts:
        n = a["alert"]
        sev = (a.get("labels") or {}).get("severity")
        if sev not in ("critical", "warning", "info"):
            errors.append(f"{n}: severity label is {sev!r}, expected critical, warning or info")
        ann = a.get("annotations") or {}
        for key in ("summary", "description"):
            if not str(ann.get(key, "")).strip():
                errors.append(f"{n}: annotation {key} missing")
        url = f"https://github.com/dev2production/dev2prod-bot/blob/main/docs/operations/runbooks/{n}.md"
        if ann.get("runbook_url") != url:
            errors.append(f"{n}: runbook_url is {ann.get('runbook_url')!r}, expected {url}")
        rb = os.path.join(runbook_dir, f"{n}.md")
        if not os.path.isfile(rb):
            errors.append(f"{n}: runbook {rb} missing")
        elif not open(rb).read().lstrip().startswith(f"# {n}"):
            errors.append(f"{n}: runbook {rb} must start with '# {n}'")
        problems, _ = metric_problems(a["expr"], f"alert {n}")
        errors += problems
        if n not in firing:
            errors.append(f"{n}: no unit test makes it fire")
        if n not in silent:
            errors.append(f"{n}: no unit test shows it silent (exp_alerts: [])")
    for tested in sorted((firing | silent) - set(names)):
        errors.append(f"unit tests refer to unknown alert {tested}")
    if os.path.isdir(runbook_dir):
        for f in sorted(os.listdir(runbook_dir)):
            if f.endswith(".md") and f[:-3] not in names and f != "README.md":
                errors.append(f"runbook {f} has no alert")
    for a in alerts:
        n = a["alert"]
        tested = "fires and stays silent in tests" if n in firing and n in silent else "NOT fully tested"
        print(f"  {n:<26} severity={(a.get('labels') or {}).get('severity')!s:<9} {tested}")
    for e in errors:
        print(f"  ERROR {e}")
    print(f"  {len(alerts)} alerts checked")
    return 1 if errors else 0


def panels_of(dashboard):
    for p in dashboard.get("panels", []):
        yield p
        for inner in p.get("panels", []) or []:
            yield inner


def cmd_dashboards(dash_dir, datasources, providers, out_rules):
    """Dashboards parse, use the provisioned datasource uid, and only query
    known metrics; writes their queries as recording rules to out_rules so
    that promtool can check their PromQL syntax."""
    errors = []
    ds = load_yaml(datasources)
    uids = {d.get("uid") for d in ds.get("datasources", []) if d.get("type") == "prometheus"}
    if not uids or None in uids:
        errors.append(f"{datasources}: every prometheus datasource needs a uid")
    prov = load_yaml(providers)
    paths = [p.get("options", {}).get("path") for p in prov.get("providers", []) if p.get("type") == "file"]
    if "/var/lib/grafana/dashboards" not in paths:
        errors.append(f"{providers}: no file provider for /var/lib/grafana/dashboards")
    files = sorted(glob.glob(os.path.join(dash_dir, "*.json")))
    if not files:
        errors.append(f"no dashboards in {dash_dir}")
    rules, used, dash_uids = [], set(), set()
    for path in files:
        try:
            with open(path) as f:
                dash = json.load(f)
        except ValueError as e:
            errors.append(f"{path}: invalid JSON: {e}")
            continue
        print(f"  {os.path.relpath(path)}: JSON ok, uid={dash.get('uid')!r}, title={dash.get('title')!r}")
        if not dash.get("uid") or dash["uid"] in dash_uids:
            errors.append(f"{path}: dashboard uid missing or duplicated")
        dash_uids.add(dash.get("uid"))
        ids, queries = set(), 0
        for p in panels_of(dash):
            title = p.get("title", "?")
            if p.get("id") in ids:
                errors.append(f"{path}: panel id {p.get('id')} used twice")
            ids.add(p.get("id"))
            if p.get("type") == "row":
                continue
            refs = [p.get("datasource")] + [t.get("datasource") for t in p.get("targets", [])]
            for ref in refs:
                if not isinstance(ref, dict) or ref.get("uid") not in uids:
                    errors.append(f"panel {title!r}: datasource {ref!r} is not referenced by a provisioned uid "
                                  f"({', '.join(sorted(u for u in uids if u))})")
                    break
            if not p.get("targets"):
                errors.append(f"panel {title!r}: no queries")
            for t in p.get("targets", []):
                expr = t.get("expr", "")
                if not expr.strip():
                    errors.append(f"panel {title!r} query {t.get('refId')}: empty expr")
                    continue
                queries += 1
                problems, names = metric_problems(expr, f"panel {title!r} query {t.get('refId')}")
                errors += problems
                used |= names
                promql, _ = grafana_to_promql(expr)
                rules.append({"record": f"dashboard:query_{len(rules) + 1}", "expr": promql})
        print(f"  {len(ids)} panels, {queries} queries")
    with open(out_rules, "w") as f:
        yaml.safe_dump({"groups": [{"name": "dashboard-queries", "rules": rules}]}, f, sort_keys=False)
    print(f"  metrics queried: {', '.join(sorted(used))}")
    for e in errors:
        print(f"  ERROR {e}")
    return 1 if errors else 0


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    sys.exit(globals()["cmd_" + cmd.replace("-", "_")](*args))
PY

py() { "$PY" "$TMP/checks.py" "$@"; }

# --------------------------------------------------------------------------
# 1. Prometheus configuration
# --------------------------------------------------------------------------
step "promtool check config $CONFIG"
probe=$(py k8s-probe "$TMP")
if promtool check config "$probe" >/dev/null 2>&1; then
  run "promtool check config $CONFIG" promtool check config "$CONFIG"
else
  echo "This promtool was built without Kubernetes service discovery (as Debian's is):"
  echo "checking a copy of $CONFIG in which kubernetes_sd_configs is replaced by"
  echo "static_configs; the Kubernetes job itself is checked by the simulation below."
  derived=$(py config-without-k8s "$CONFIG" "$TMP") &&
    run "promtool check config $CONFIG (Kubernetes SD swapped out)" promtool check config "$derived" ||
    fail "promtool check config $CONFIG"
fi

step "Kubernetes pod discovery: namespace and relabelling simulation"
run "kubernetes_sd_configs + relabel_configs of $CONFIG" py k8s-sd "$CONFIG"

step "rule_files of $CONFIG"
if rule_files=$(py rule-globs "$CONFIG" "$RULES"); then
  echo "$rule_files" | sed 's/^/  loads /'
  # shellcheck disable=SC2086
  run "rule_files load only rule files" promtool check rules $rule_files
else
  fail "rule_files load only rule files"
fi

# --------------------------------------------------------------------------
# 2. Alerting rules and their unit tests
# --------------------------------------------------------------------------
step "promtool check rules $RULES"
run "promtool check rules $RULES" promtool check rules "$RULES"

step "promtool test rules $TESTS"
run "promtool test rules $TESTS" promtool test rules "$TESTS"

step "Alert conventions: labels, annotations, runbooks, metrics, tests"
run "alert conventions and runbooks" py alerts "$RULES" "$TESTS" "$RUNBOOKS"

# --------------------------------------------------------------------------
# 3. Grafana
# --------------------------------------------------------------------------
step "Grafana dashboards and provisioning"
if py dashboards "$DASHBOARD_DIR" "$DATASOURCES" "$DASH_PROVIDERS" "$TMP/dashboard-queries.yml"; then
  ok "dashboard JSON, datasource uid, metric and label names"
else
  fail "dashboard JSON, datasource uid, metric and label names"
fi
step "Dashboard queries parse as PromQL"
run "dashboard queries parse as PromQL" promtool check rules "$TMP/dashboard-queries.yml"

# --------------------------------------------------------------------------
printf '\n==> Summary\n'
for c in "${PASSED[@]}"; do printf '  PASS  %s\n' "$c"; done
for c in "${FAILED[@]}"; do printf '  FAIL  %s\n' "$c"; done
if [ ${#FAILED[@]} -gt 0 ]; then
  printf '%d of %d checks failed\n' "${#FAILED[@]}" "$((${#PASSED[@]} + ${#FAILED[@]}))"
  exit 1
fi
printf 'all %d checks passed\n' "${#PASSED[@]}"
