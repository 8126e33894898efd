def handler(event, context):
    return {"step": event.get("Step")}
