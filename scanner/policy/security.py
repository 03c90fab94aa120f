"""Security: personal data exposed to the world or stored unencrypted."""
from __future__ import annotations

from scanner.model import Violation
from scanner.policy.context import Context, summarise
from scanner.policy.rules import make


def check(ctx: Context) -> list[Violation]:
    out = []
    for uri, results in ctx.by_container().items():
        c = ctx.container(uri)
        s = summarise(results)
        ev = {"objects": s.objects, "entities": dict(s.entities), "special_categories": list(s.special_categories),
              "children": s.children, "subjects_estimate": s.subjects}
        # NOTE: a local source's "public" means that some file in it is readable by everyone; those files are
        # reported one by one below (security.world_readable), with the modes as evidence
        if c.public is True and c.provider != "file":
            out.append(make("security.public_container", uri,
                            f"Public container holding personal data ({s.objects} object(s), ~{s.subjects} subjects)",
                            "Block public access now (S3 Block Public Access, GCS public access prevention, Azure "
                            "'allow blob public access' off), then review access logs for downloads and assess whether "
                            "this is a reportable breach.", ev))
        if c.facts.get("world_readable") is True:
            out.append(make("security.world_readable", uri,
                            f"World-readable share holding personal data ({s.objects} object(s))",
                            "Restrict the share's permissions to the team that needs it and review who accessed it.",
                            ev))
        if c.encrypted is False:
            if s.sensitive:
                out.append(make("security.unencrypted_special", uri,
                                "Unencrypted container holding special-category or children's data",
                                "Turn on default encryption at rest (SSE-KMS / CMEK / customer-managed keys) and "
                                "re-write existing objects so they are encrypted.", ev))
            else:
                out.append(make("security.unencrypted_personal", uri,
                                "Unencrypted container holding personal data",
                                "Turn on default encryption at rest and re-write existing objects.", ev))
        if c.facts.get("world_readable") is not True:
            for r in results:
                if r.ref.facts.get("world_readable") is True:
                    h = r.holding
                    exposure = r.ref.facts.get("exposure")
                    mode = f" (mode {exposure['file']['mode']})" if exposure else ""
                    out.append(make("security.world_readable", r.ref.uri,
                                    f"File readable by every user holding personal data{mode}",
                                    "Remove read permission for other users (chmod o-r) or from a folder above it "
                                    "(chmod o-x), or move the file to a restricted location.",
                                    {"entities": dict(h.entities), "special_categories": list(h.special_categories),
                                     "children": h.children, "subjects_estimate": h.subjects_estimate,
                                     **({"access": exposure} if exposure else {})}))
    return out
