// The tutorial's chat page (docs/migrating-from-the-tutorial.md) on the real socket.io-client, driven by
// SocketIoTutorialTest: commands arrive as JSON lines on stdin, everything the page sees leaves as JSON lines on stdout.
// Usage: node page.mjs <server url> <token> <userId> <transports: polling,websocket | websocket>
import { io } from "socket.io-client";
import { createInterface } from "node:readline";

const [url, token, myId, transports] = process.argv.slice(2);
const out = (line) => process.stdout.write(JSON.stringify(line) + "\n");

// the one line a tutorial page changes: io() gets the server and the token
const socket = io(url, { auth: { token }, transports: transports.split(","), reconnectionDelay: 100,
  reconnectionDelayMax: 500 });

socket.on("connect", () => out({ ev: "connect", recovered: socket.recovered, transport: socket.io.engine.transport.name }));
socket.io.engine.on("upgrade", (transport) => out({ ev: "upgrade", transport: transport.name }));
socket.on("connect_error", (error) => out({ ev: "connect_error", message: error.message, data: error.data ?? null }));
socket.on("disconnect", (reason) => out({ ev: "disconnect", reason }));
// the page's own handler: append what arrives
socket.on("receive_message", (data) => out({ ev: "receive_message", data }));
socket.on("chat_error", (error) => out({ ev: "chat_error", error }));
// not the page's: lets the test see that a join without an ack callback is in place
socket.on("room_joined", (data) => out({ ev: "room_joined", data }));

const api = async (method, path, body) => {
  const response = await fetch(new URL(path, url), {
    method, headers: { "content-type": "application/json", authorization: "Bearer " + token },
    body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
};

const roomOf = (otherId) => `chat-${[myId, otherId].sort().join("-")}`;

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line);
  try {
    switch (command.op) {
      case "join": // socket.emit("join_room", roomId), as the page does when a chat opens
        socket.emit("join_room", command.room ?? roomOf(command.with));
        out({ ev: "joined", id: command.id });
        break;
      case "join_ack": {
        const answer = await socket.timeout(10000).emitWithAck("join_room", command.room);
        out({ ev: "ack", id: command.id, answer });
        break;
      }
      case "page_send": {
        // the page's send: optimistic UI, emit to the socket, then "save to DB"; no client id anywhere
        const data = { senderId: myId, recipientId: command.with, text: command.text, roomId: roomOf(command.with) };
        if (command.order === "http_first") {
          const saved = await api("POST", "/api/messages", data);
          socket.emit("send_message", data);
          out({ ev: "sent", id: command.id, saved });
        } else {
          socket.emit("send_message", data);
          const saved = await api("POST", "/api/messages", data);
          out({ ev: "sent", id: command.id, saved });
        }
        break;
      }
      case "emit_ack": {
        const answer = await socket.timeout(10000).emitWithAck(command.event, ...command.args);
        out({ ev: "ack", id: command.id, answer });
        break;
      }
      case "emit": // no ack: refusals come back as chat_error
        socket.emit(command.event, ...command.args);
        out({ ev: "emitted", id: command.id });
        break;
      case "history": // the page reloads a chat's history
        out({ ev: "history", id: command.id, ...(await api("GET", "/api/messages?roomId=" + encodeURIComponent(roomOf(command.with)))) });
        break;
      case "contacts":
        out({ ev: "contacts", id: command.id, ...(await api("GET", "/api/chat/contacts")) });
        break;
      case "close":
        socket.close();
        out({ ev: "closed", id: command.id });
        process.exit(0);
    }
  } catch (error) {
    out({ ev: "failed", id: command.id, message: String(error && error.message) });
  }
}
