"""An OpenAI-compatible chat completions server on 127.0.0.1 whose answers can be made slow.

The summarizer's ``openai`` backend talks to it (``DEVOURED_SUMMARIZER_BACKEND=openai``), so a
slow summarizer is a slow model, as in production, not a doctored service. Every answer is the
same small, well-formed summary; the summarizer checks it as it checks any answer.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAST_S = 0.05
_ANSWER = {
    "tldr": "A company released a new product and published the measurements it took.",
    "deep_dive": [
        "The release follows a trial with published figures.",
        "The company plans a wider rollout.",
    ],
    "decoder": [],
}


class SlowLlm:
    """Answers after ``delay_s`` (change it at any time); counts the requests."""

    def __init__(self) -> None:
        self.delay_s = FAST_S
        self.requests = 0
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()

    def env(self) -> dict[str, str]:
        """The summarizer's settings for this server."""
        return {
            "DEVOURED_SUMMARIZER_BACKEND": "openai",
            "DEVOURED_SUMMARIZER_OPENAI_BASE_URL": self.base_url,
            "DEVOURED_SUMMARIZER_OPENAI_API_KEY": "chaos",
            "DEVOURED_SUMMARIZER_OPENAI_MODEL": "chaos-slow",
        }

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        llm = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with llm._lock:
                    llm.requests += 1
                time.sleep(llm.delay_s)
                body = json.dumps(
                    {
                        "id": "chatcmpl-chaos",
                        "object": "chat.completion",
                        "created": 0,
                        "model": request.get("model", "chaos-slow"),
                        "choices": [
                            {
                                "index": 0,
                                "finish_reason": "stop",
                                "message": {"role": "assistant", "content": json.dumps(_ANSWER)},
                            }
                        ],
                        "usage": {
                            "prompt_tokens": 300,
                            "completion_tokens": 60,
                            "total_tokens": 360,
                        },
                    }
                ).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
