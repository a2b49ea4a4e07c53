# A tiny web app: GET / increments a counter in redis (plain RESP over a socket, stdlib only).
import http.server, socket, os

def incr():
    with socket.create_connection(("redis", 6379), timeout=2) as s:
        s.sendall(b"*2\r\n$4\r\nINCR\r\n$4\r\nhits\r\n")
        return s.recv(64).decode().strip().lstrip(":")

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"ok\n" if self.path == "/health" else f"hello from {os.uname().nodename}: hit {incr()}\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass

http.server.ThreadingHTTPServer(("0.0.0.0", 8000), Handler).serve_forever()
