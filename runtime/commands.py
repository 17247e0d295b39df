"""The `users` and `tokens` commands of `python app.py` (app.py parses the command line and opens
the store). Each returns the exit status: 0 done, 1 refused (the message says why, on standard
error). Every change is written to the audit log as done from the command line.
"""

from __future__ import annotations

import getpass
from datetime import datetime
from typing import TextIO

from domain.rules.access import ADMIN, name_problem, password_problem, role_problem
from domain.store.accounts import (AccountsRepository, NameTaken, disable_user, hash_password,
                                   iso, issue_token)


def _who() -> str:
    try:
        return f"command line ({getpass.getuser()})"
    except (KeyError, OSError):
        return "command line"


def _record(accounts: AccountsRepository, event: str, object_: str, detail: str = "") -> None:
    accounts.record(event, _who(), ADMIN, "local", object_, iso(datetime.now().astimezone()),
                    detail)


def _refuse(err: TextIO, message: str) -> int:
    print(message, file=err)
    return 1


def users_create(accounts: AccountsRepository, name: str, role: str, stdin: TextIO,
                 out: TextIO, err: TextIO) -> int:
    """Create the user, or update their role and password (and enable them); the password is
    the first line of standard input."""
    name = name.strip()
    password = stdin.readline().rstrip("\r\n")
    problem = name_problem(name) or role_problem(role) or password_problem(password)
    if problem:
        return _refuse(err, problem)
    created = accounts.save_user(name, role, hash_password(password),
                                 iso(datetime.now().astimezone()))
    _record(accounts, "user_created" if created else "user_updated", f"user {name}",
            f"role {role}, password set")
    print(f"{'Created' if created else 'Updated'} user {name} ({role}).", file=err)
    return 0


def users_list(accounts: AccountsRepository, out: TextIO) -> int:
    print("name\trole\tstatus\tpassword\tcreated\tupdated", file=out)
    for user in accounts.users():
        print(f"{user.name}\t{user.role}\t{'disabled' if user.disabled else 'active'}\t"
              f"{'set' if user.password_hash else 'none'}\t{user.created_at}\t{user.updated_at}",
              file=out)
    return 0


def users_disable(accounts: AccountsRepository, name: str, err: TextIO) -> int:
    ended = disable_user(accounts, name, iso(datetime.now().astimezone()))
    if ended is None:
        return _refuse(err, f"There is no user {name}: `users list` shows who there is.")
    _record(accounts, "user_disabled", f"user {name}", f"{ended} sessions ended")
    print(f"Disabled user {name}; {ended} sessions ended.", file=err)
    return 0


def tokens_create(accounts: AccountsRepository, name: str, role: str, out: TextIO,
                  err: TextIO) -> int:
    """Print only the new token on standard output: it is shown this once, never stored."""
    name = name.strip()
    problem = name_problem(name) or role_problem(role)
    if problem:
        return _refuse(err, problem)
    try:
        token = issue_token(accounts, name, role, _who(), iso(datetime.now().astimezone()))
    except NameTaken:
        return _refuse(err, f"A token named {name} exists: revoke it first "
                            f"(`tokens revoke {name}`), or choose another name.")
    _record(accounts, "token_created", f"token {name}", f"role {role}")
    print(token, file=out)
    return 0


def tokens_list(accounts: AccountsRepository, out: TextIO) -> int:
    print("name\trole\tstatus\tcreated\tcreated by\tlast used", file=out)
    for token in accounts.tokens():
        status = "active" if token.is_active else f"revoked {token.revoked_at}"
        print(f"{token.name}\t{token.role}\t{status}\t{token.created_at}\t{token.created_by}\t"
              f"{token.last_used_at or 'never'}", file=out)
    return 0


def tokens_revoke(accounts: AccountsRepository, name: str, err: TextIO) -> int:
    if not accounts.revoke_token(name, iso(datetime.now().astimezone())):
        return _refuse(err, f"There is no active token {name}: `tokens list` shows them.")
    _record(accounts, "token_revoked", f"token {name}")
    print(f"Revoked token {name}.", file=err)
    return 0
