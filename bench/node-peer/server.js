// The seed's server (Socket.io rooms: join_room, send_message -> receive_message to the room), as people
// would build it once messages must survive: save each message with node-postgres, then broadcast.
// Differences from the seed, each so the benchmark can measure the same things as for HireChat:
//  - send_message takes an ack callback, answered after the INSERT commits (the "durable ack");
//  - join_room answers its ack callback once the socket is in the room;
//  - a plain HTTP GET /health answers 200 for the benchmark's readiness check.
// PORT and DATABASE_URL come from the environment; the pool has 16 connections, like HireChat's Hikari pool.
const { createServer } = require("http");
const { Server } = require("socket.io");
const { Pool } = require("pg");

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 16 });

async function main() {
  await pool.query(`CREATE TABLE IF NOT EXISTS messages (
    message_id        uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    room_id           varchar(64) NOT NULL,
    client_message_id varchar(64) NOT NULL,
    sender_id         varchar(64) NOT NULL,
    text              text        NOT NULL,
    sent_at           timestamptz NOT NULL DEFAULT now()
  )`);

  const server = createServer((req, res) => {
    res.writeHead(req.url === "/health" ? 200 : 404, { "content-type": "text/plain" });
    res.end(req.url === "/health" ? "UP" : "not found");
  });
  const io = new Server(server);

  io.on("connection", (socket) => {
    socket.on("join_room", (roomId, ack) => {
      socket.join(roomId);
      if (typeof ack === "function") ack(true);
    });

    socket.on("send_message", async (data, ack) => {
      try {
        const result = await pool.query(
          "INSERT INTO messages (room_id, client_message_id, sender_id, text) VALUES ($1, $2, $3, $4) RETURNING message_id, sent_at",
          [data.roomId, data.clientMessageId, data.senderId, data.text]);
        const row = result.rows[0];
        const message = { ...data, messageId: row.message_id, sentAt: row.sent_at };
        // like the seed: to everyone in the room but the sender
        socket.to(data.roomId).emit("receive_message", message);
        if (typeof ack === "function") ack({ ok: true, messageId: row.message_id });
      } catch (e) {
        if (typeof ack === "function") ack({ ok: false, error: String(e.message) });
      }
    });
  });

  server.listen(Number(process.env.PORT || 3000), "127.0.0.1", () => {
    console.log("socket.io peer listening on " + server.address().port);
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
