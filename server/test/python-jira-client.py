"""What a python-jira user does first, against the server at ATC_SERVER (see real-clients.test.ts).

Run with Debian's python3-jira: /usr/bin/python3 python-jira-client.py SCENARIO. Secrets come from the
environment (ATC_USER, ATC_TOKEN, ATC_READ_ONLY_TOKEN), never the command line. Prints one JSON object:
what each step returned, or the JIRAError it raised (status and text), or how it crashed.
"""

import json
import logging
import os
import sys

from jira import JIRA, JIRAError

SERVER = os.environ["ATC_SERVER"]
USER = os.environ["ATC_USER"]
TOKEN = os.environ["ATC_TOKEN"]

results = {}


def step(name, action):
    try:
        results[name] = {"value": action()}
    except JIRAError as error:
        results[name] = {"status": error.status_code, "text": error.text}
    except Exception as error:  # noqa: BLE001 - a crash is what the test looks for
        results[name] = {"crash": f"{type(error).__name__}: {error}"}


def clients():
    # The obvious first line: defaults (reads /rest/api/2/serverInfo).
    jira = JIRA(SERVER, basic_auth=(USER, TOKEN))
    step("construct", lambda: {"deploymentType": jira.deploymentType, "serverTitle": jira.server_info()["serverTitle"]})
    step("myself", lambda: jira.myself()["name"])

    def create_and_read_back():
        # create_issue() with its defaults: the project by key, then the issue read back (prefetch).
        issue = jira.create_issue(
            project="DEMO", summary="Created by python-jira", description="From a script.", issuetype={"name": "Task"}
        )
        again = jira.issue(issue.key)
        return {
            "key": issue.key,
            "summary": issue.fields.summary,
            "reporter": issue.fields.reporter.name,
            "readBack": again.fields.summary,
        }

    step("createIssue", create_and_read_back)
    step("fields", lambda: sorted(f["id"] for f in jira.fields())[:3])
    step("latest", lambda: JIRA(SERVER, basic_auth=(USER, TOKEN), options={"rest_api_version": "latest"}).myself()["name"])
    step("wrongToken", lambda: JIRA(SERVER, basic_auth=(USER, "atc_not-a-token")).myself())
    read_only = JIRA(SERVER, basic_auth=(USER, os.environ["ATC_READ_ONLY_TOKEN"]))
    step(
        "readOnlyWrite",
        lambda: read_only.create_issue(project="DEMO", summary="Must not exist", issuetype={"name": "Task"}).key,
    )


def rate_limited():
    warnings = []

    class Collect(logging.Handler):
        def emit(self, record):
            warnings.append(record.getMessage())

    logging.getLogger("jira.resilientsession").addHandler(Collect(level=logging.WARNING))
    # python-jira retries a 429 itself, after a random back-off of up to 20 s: one retry, at once.
    jira = JIRA(SERVER, basic_auth=(USER, TOKEN), max_retries=1)
    jira._session.max_retry_delay = 0
    step("first", lambda: jira.myself()["name"])
    step("limited", lambda: jira.myself()["name"])
    results["warnings"] = warnings


{"clients": clients, "rate-limited": rate_limited}[sys.argv[1]]()
print(json.dumps(results))
