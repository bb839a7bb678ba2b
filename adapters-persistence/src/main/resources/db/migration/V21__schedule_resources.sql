-- Issue 15, JobSchedule resources: a schedule created from a jobschedules.jobplane.io resource
-- names it, and is then changed and deleted through that resource only (the API answers 409).
-- Both null: a schedule managed through the API.
ALTER TABLE schedules
    ADD COLUMN resource_namespace text,
    ADD COLUMN resource_name      text,
    ADD CONSTRAINT schedules_resource_check
        CHECK ((resource_namespace IS NULL) = (resource_name IS NULL));
