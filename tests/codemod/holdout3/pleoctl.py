#!/usr/bin/env python3
"""pleoctl: a small command line for poking at our Pleo account.

    pleoctl employees list
    pleoctl employees show <id>
    pleoctl tags <tag-group-id> [--hidden]
    pleoctl cards
"""
# ruff: noqa: UP032
import argparse
import json
import os
import sys

import requests

API = os.getenv("PLEOCTL_API", "https://openapi.pleo.io") + "/v1"


def _session():
    s = requests.Session()
    s.headers.update({"Authorization": "Bearer {}".format(os.environ["PLEOCTL_TOKEN"])})
    return s


def cmd_employees(args):
    s = _session()
    if args.action == "show":
        r = s.get("{}/employees/{}".format(API, args.id))
        r.raise_for_status()
        person = r.json()
        return {"name": person["firstName"] + " " + person["lastName"],
                "email": person["email"], "role": person.get("role")}
    r = s.get("{}/employees".format(API), params={"pageSize": args.limit})
    r.raise_for_status()
    return [p["email"] for p in r.json()["employees"]]


def cmd_tags(args):
    s = _session()
    group = s.get("{}/tag-groups/{}".format(API, args.group))
    group.raise_for_status()
    names = {a["id"]: a["name"] for a in group.json()["tagAttributes"]}
    r = s.get("{}/tag-groups/{}/tags".format(API, args.group))
    r.raise_for_status()
    rows = []
    for tag in r.json():
        if tag.get("hidden") and not args.hidden:
            continue
        rows.append({names.get(v["attributeId"], v["attributeId"]): v["value"]
                     for v in tag["attributeValues"]})
    return rows


def cmd_cards(args):
    r = _session().get(API + "/cards")
    r.raise_for_status()
    return r.json()


def build_parser():
    parser = argparse.ArgumentParser(prog="pleoctl")
    sub = parser.add_subparsers(dest="command", required=True)
    emp = sub.add_parser("employees")
    emp.add_argument("action", choices=["list", "show"])
    emp.add_argument("id", nargs="?")
    emp.add_argument("--limit", type=int, default=100)
    emp.set_defaults(func=cmd_employees)
    tags = sub.add_parser("tags")
    tags.add_argument("group")
    tags.add_argument("--hidden", action="store_true")
    tags.set_defaults(func=cmd_tags)
    sub.add_parser("cards").set_defaults(func=cmd_cards)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    result = args.func(args)
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return result


if __name__ == "__main__":
    main()
