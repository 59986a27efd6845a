"""Password hashing cheap enough for a whole office logging in at once on a small server.

Django's default, PBKDF2 with 1,500,000 iterations, costs about a second of CPU per login on
a 2-core machine: 55 officers logging in together waited up to a minute. Argon2id with OWASP's
recommended parameters (19 MiB of memory, 2 passes, 1 lane) is memory-hard, so no weaker
against guessing on GPUs, and costs about a tenth of that. Existing hashes of any kind Django
knows are upgraded at the next login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19456  # KiB
    parallelism = 1
