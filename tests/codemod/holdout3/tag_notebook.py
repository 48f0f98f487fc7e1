# ---
# Exported from tag_review.ipynb (jupytext percent format); run cell by cell in VS Code.
# ---

# %% [markdown]
# # Tag review
# Which tags does the finance team still use? Pulls the tag groups and their tags from Pleo.

# %%
import os
from collections import Counter

import requests

API = "https://openapi.pleo.io/v1"
TOKEN = os.environ.get("PLEO_NOTEBOOK_TOKEN", "")
s = requests.Session()
s.headers["Authorization"] = f"Bearer {TOKEN}"

params = {}
params["archived"] = "false"
SHOW_HIDDEN = False

# %%
def tag_groups():
    r = s.get(f"{API}/tag-groups", params=params)
    r.raise_for_status()
    return r.json()


def group_overview():
    groups = tag_groups()
    return [(g["name"], len(g["tagAttributes"]), g["archived"]) for g in groups]


# %%
def tags_of(group_id):
    r = s.get(f"{API}/tag-groups/{group_id}/tags")
    r.raise_for_status()
    return [t for t in r.json() if SHOW_HIDDEN or not t["hidden"]]


def value_counts(group_id):
    counts = Counter()
    for tag in tags_of(group_id):
        for value in tag["attributeValues"]:
            counts[value["attributeId"]] += 1
    return dict(counts)


# %%
def first_tag(group_id):
    tag_id = tags_of(group_id)[0]["id"]
    r = s.get(f"{API}/tag-groups/{group_id}/tags/{tag_id}")
    r.raise_for_status()
    t = r.json()
    return {"id": t["id"], "order": t["displayOrder"],
            "values": [v["value"] for v in t["attributeValues"]]}


# %%
if __name__ == "__main__":
    for row in group_overview():
        print(row)
