"""The simulated listening feed: many users, realistic rhythms and tastes, written as AVRO.

Events follow schemas/user_activity_v2.avsc. How consumers turn them into plays:
- A play is an event with activityType PLAY or SKIP. startTime and endTime bound it (endTime
  includes any time paused), eventTime equals endTime, playedMs is the milliseconds listened.
  PLAY means heard to the end (playedMs = duration), SKIP means ended by a skip.
- LIKE, ADD_TO_PLAYLIST, FOLLOW, PAUSE and LEAVE_APP are interactions, not plays: playedMs is
  null. The first four happen during a play of the same track (a PAUSE's startTime/endTime are
  the pause and the resumption); LEAVE_APP follows a session's last play and names its track.
- All times are UTC milliseconds since the epoch; each user's events strictly increase in time.
"""

from wrapped_lake.simulate.run import simulate, sync_marker

__all__ = ["simulate", "sync_marker"]
