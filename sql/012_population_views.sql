-- Population figures over the simulated feed were first made here as views; they are models now
-- (sql/models/marts/population/), created by the migrator after the migrations.
SELECT;
