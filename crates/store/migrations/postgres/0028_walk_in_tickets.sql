-- Walk-in tickets (issue 21 §6): the office's reception gives a ticket to a
-- citizen who comes without a booking, so a ticket's booking may be NULL;
-- a walk-in's starts_at is its arrival.
ALTER TABLE queue_tickets ALTER COLUMN booking_id DROP NOT NULL;
