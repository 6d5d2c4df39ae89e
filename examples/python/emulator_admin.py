#!/usr/bin/env python3
"""Drive `vocab emulator` from Python with the standard library only.

Run it against a throwaway emulator:

    vocab emulator exec -- python3 examples/python/emulator_admin.py

or against a running one:

    vocab emulator --port 8787 &
    DASHSCOPE_HTTP_BASE_URL=http://127.0.0.1:8787/api/v1 DASHSCOPE_API_KEY=sk-local-emulator \
        python3 examples/python/emulator_admin.py

It calls the service endpoint the way the official DashScope SDK does (same path, headers and
body), and the emulator's admin API (/_vocab/) to reset the account, inject a fault and move
the clock. Exits 0 when every step behaved as expected, 1 otherwise.
"""
import json
import os
import sys
import urllib.error
import urllib.request

BASE_URL = os.environ.get("DASHSCOPE_HTTP_BASE_URL", "http://127.0.0.1:8787/api/v1").rstrip("/")
API_KEY = os.environ.get("DASHSCOPE_API_KEY", "sk-local-emulator")
# The admin API sits beside /api/v1 on the same port.
ADMIN_URL = os.environ.get("VOCAB_EMULATOR_ADMIN_URL", BASE_URL.rsplit("/api/v1", 1)[0] + "/_vocab")


def http(method, url, body=None, headers=None):
    """One request; returns (status, parsed JSON body). HTTP errors are answers, not exceptions."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def call_service(action, **fields):
    """POST {base}/services/audio/asr/customization as the official Python SDK does."""
    body = {"model": "speech-biasing", "input": {"action": action, **fields}, "parameters": {}}
    headers = {
        "Authorization": "Bearer " + API_KEY,
        "Accept": "application/json",
        "User-Agent": "dashscope/1.26.2; python/3; example",
    }
    return http("POST", BASE_URL + "/services/audio/asr/customization", body, headers)


def admin(method, path, body=None):
    return http(method, ADMIN_URL + path, body)


def expect(condition, what):
    if not condition:
        print("FAILED: " + what, file=sys.stderr)
        sys.exit(1)
    print("ok: " + what)


def main():
    status, answer = admin("POST", "/reset")
    expect(status == 200 and answer["api_version"] == 1, "reset the emulator")

    # The vendor's sample: create a list, then use it when its status is OK.
    words = [{"text": "Seediq Bale", "weight": 4}]
    status, answer = call_service("create_vocabulary", target_model="fun-asr", prefix="testpfx", vocabulary=words)
    expect(status == 200, "create a list as the SDK does")
    vocabulary_id = answer["output"]["vocabulary_id"]
    status, answer = call_service("query_vocabulary", vocabulary_id=vocabulary_id)
    expect(answer["output"]["status"] == "OK", "the new list is OK at once")

    # A fault on the next create only: 500 InternalError, then back to normal.
    status, answer = admin("PUT", "/faults", {"faults": [{"action": "create_vocabulary", "status": 500, "count": 1}]})
    expect(status == 200 and len(answer["faults"]) == 1, "inject one 500 on create")
    status, answer = call_service("create_vocabulary", target_model="fun-asr", prefix="second", vocabulary=words)
    expect(status == 500 and answer["code"] == "InternalError", "the next create fails with 500 InternalError")
    status, answer = call_service("create_vocabulary", target_model="fun-asr", prefix="second", vocabulary=words)
    expect(status == 200, "the create after it succeeds")

    # Updates of one list must be 5 minutes apart: move the clock instead of waiting.
    new_words = [{"text": "Speech Lab", "weight": 4}]
    status, answer = call_service("update_vocabulary", vocabulary_id=vocabulary_id, vocabulary=new_words)
    expect(status == 400 and answer["code"] == "InvalidParameter.UpdateInterval", "an update right after create is refused")
    status, answer = admin("PUT", "/clock", {"advance_seconds": 300})
    expect(status == 200 and answer["offset_ms"] == 300000, "move the emulator's clock 5 minutes on")
    status, answer = call_service("update_vocabulary", vocabulary_id=vocabulary_id, vocabulary=new_words)
    expect(status == 200, "the update is accepted 5 minutes later")

    status, answer = admin("GET", "/requests?status=500")
    expect([r["action"] for r in answer["requests"]] == ["create_vocabulary"], "the request log shows the injected 500")

    status, answer = admin("POST", "/reset")
    status, answer = call_service("list_vocabulary", prefix=None, page_index=0, page_size=10)
    expect(answer["output"]["vocabulary_list"] == [], "reset leaves the account empty")
    return 0


if __name__ == "__main__":
    sys.exit(main())
