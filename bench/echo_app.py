"""The bare echo bot the benchmark compares against, shaped as the SDK's flask-echo example.

Signature check with ``WebhookParser`` and a reply with the message's text, nothing else:
like the example, an ``ApiClient`` per reply. ``LINE_API_HOST`` points it at the fake LINE.

    gunicorn -w 2 'bench.echo_app:app'
"""

from __future__ import annotations

import os

from flask import Flask, abort, request
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    MessagingApi,
    ReplyMessageRequest,
    TextMessage,
)
from linebot.v3.webhooks import MessageEvent, TextMessageContent

app = Flask(__name__)

parser = WebhookParser(os.environ["LINE_CHANNEL_SECRET"])
configuration = Configuration(access_token=os.environ["LINE_CHANNEL_ACCESS_TOKEN"],
                              host=os.environ.get("LINE_API_HOST") or None)


@app.post("/callback")
def callback() -> str:
    """Echo each text message back with its reply token."""
    signature = request.headers["X-Line-Signature"]
    body = request.get_data(as_text=True)
    try:
        events = parser.parse(body, signature)
    except InvalidSignatureError:
        abort(400)
    for event in events:
        if not isinstance(event, MessageEvent) or not isinstance(event.message, TextMessageContent):
            continue
        with ApiClient(configuration) as api_client:
            MessagingApi(api_client).reply_message_with_http_info(
                ReplyMessageRequest(reply_token=event.reply_token,
                                    messages=[TextMessage(text=event.message.text)]))
    return "OK"
