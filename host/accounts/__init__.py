"""The signed-in account: sign-in, opening its session, and sign-out that wipes it.

One mail account at a time (promise 2). What identifies the account (its email, provider, granted
scopes) is kept in the secret store beside its token and database key, so that nothing about it lies
in a plain file; its mail lives in the encrypted database until sign-out deletes it (promise 3).
"""

from host.accounts.manager import AccountAlreadySignedIn, Accounts, NotSignedIn
from host.accounts.session import AccountSession

__all__ = ["AccountAlreadySignedIn", "AccountSession", "Accounts", "NotSignedIn"]
