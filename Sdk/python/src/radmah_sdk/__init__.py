"""Python client of the RadMah synthetic-data job platform.

    from radmah_sdk import RadMahClient
    client = RadMahClient(api_key="sl_live_...")
    job = client.jobs.create(rows=100_000, description="customer transaction records")
    job.wait()
    df = job.to_dataframe()
"""

from ._client import API_KEY_VARIABLE, BASE_URL_VARIABLE, DEFAULT_BASE_URL, RadMahClient
from ._errors import (
    AuthenticationError,
    ConflictError,
    FieldViolation,
    InsufficientCreditsError,
    IntegrityError,
    JobNotSucceededError,
    NotFoundError,
    RadMahError,
    RateLimitedError,
    ServiceUnavailableError,
    ValidationError,
)
from ._jobs import Job, JobPage
from ._models import Account, Artifact, Dataset, Estimate
from ._version import __version__

__all__ = [
    "API_KEY_VARIABLE",
    "BASE_URL_VARIABLE",
    "DEFAULT_BASE_URL",
    "Account",
    "Artifact",
    "AuthenticationError",
    "ConflictError",
    "Dataset",
    "Estimate",
    "FieldViolation",
    "InsufficientCreditsError",
    "IntegrityError",
    "Job",
    "JobNotSucceededError",
    "JobPage",
    "NotFoundError",
    "RadMahClient",
    "RadMahError",
    "RateLimitedError",
    "ServiceUnavailableError",
    "ValidationError",
    "__version__",
]
