-- Whether the lake holds plays of the simulated feed (the population views are empty without).
SELECT EXISTS (SELECT FROM curated.feed_users)
