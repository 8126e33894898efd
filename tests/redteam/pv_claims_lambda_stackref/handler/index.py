import json


def handler(event, context):
    for record in event.get("Records", []):
        claim = json.loads(record["body"])
        print(json.dumps({"claimId": claim.get("id"), "status": "received"}))
    return {"ok": True}
