-- A citizen who leaves from the chat (Telegram /stop, Viber's "unsubscribed")
-- is found by the chat, not by the person.
CREATE INDEX subscriptions_chat ON subscriptions (channel, address) WHERE status <> 'ended';
