import pytest
from django.test import Client
from csehub.api.services import api_token_issue

pytestmark = pytest.mark.django_db

def test_smoke(school_practitioner):
    _, token = api_token_issue(actor=school_practitioner, user=school_practitioner, name="t", days=3)
    c = Client(headers={"Authorization": f"Bearer {token}"})
    r = c.post("/api/v1/children", {"given_name": "Kayleigh", "family_name": "Testington", "age_estimate_years": 14}, content_type="application/json")
    print(r.status_code, r.json())
    r = c.post("/api/v1/children", {"given_name": "Kayley", "family_name": "Testington", "age_estimate_years": 14}, content_type="application/json")
    print(r.status_code, r.json())
    r = c.post("/api/v1/children", {"given_name": "", "home_postcode": "xx"}, content_type="application/json")
    print(r.status_code, r.json())
    r = c.post("/api/v1/children", {"given_name": "Zed", "home_postcode": "xx"}, content_type="application/json")
    print(r.status_code, r.json())
    r = c.get("/api/v1/children?limit=1")
    print(r.status_code, r.json())
    r = c.get("/api/v1/children/1/chronology?kind=concern&kind=referral")
    print(r.status_code, r.json())
    r = c.get("/api/v1/children/99999")
    print(r.status_code, r.json())
    r = c.put("/api/v1/children/1", {"given_name": "X", "age_not_known": True}, content_type="application/json")
    print(r.status_code, r.json())
