-- Failed logins, for the lock-outs of users.Users (five per name, twenty per client address, in 15 minutes): kept in
-- the database, so that a restart does not forget them and servers sharing one database count together. Written in
-- the same transaction as the failure's audit entry; rows older than the window are deleted as new ones come.
create table login_failures (
  kind varchar(8) not null,
  key_value varchar(300) not null,
  at_millis bigint not null
);

create index login_failures_key on login_failures(kind, key_value, at_millis);

create index login_failures_at on login_failures(at_millis);
