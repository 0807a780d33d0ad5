"""Numbers the texts fix, or leave unsettled, as parameters with documented defaults."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Parameters:
    """Every number a rule uses. Defaults follow shared/reference/regulation.md.

    - ``grace_years``: after the end of validity of a version, candidates who hold
      CCPs of it, failed or partly succeeded, or started training before its end,
      have one year to complete it (R-07, R-08; arrêté du 22/12/2015 art. 3).
    - ``resit_years``: a candidate from training who failed or was absent at a
      title session may sit again without new training within one year (R-13, R-14).
    - ``resit_max_title_sessions``: title sessions allowed within that year. Only a
      secondary source states 3 (U-03); the pre-2016 rule was a single one.
    - ``vae_decision_months``: the admissibility decision is due two months after
      the complete file is received; silence means acceptance (R-21, R.335-7).
    - ``vae_admissibility_years``: an admissibility is valid one year from its
      notification (R-20; arrêté du 22/12/2015). U-10: to check after the 2023 reform.
    - ``vae_max_same_certification_per_year`` / ``vae_max_certifications_per_year``:
      per calendar year, one application for the same certification and three for
      different ones (R-22, Code du travail R.6412-3).
    - ``vae_min_experience_months``: one year (R-24, décret 2017-1135); the 2022 law
      removed the statutory minimum (U-06), hence a parameter.
    - ``ccs_min_experience_months``: a CCS outside training needs one year of
      experience in the job (R-12, since 1 January 2017).
    - ``convocation_months_title`` / ``convocation_days_ccp_ccs``: convocation lead
      times of the 2008 règlement (R-43, U-01): at least one month before a title
      session, counted in calendar months (same numbered day of the month before,
      see ``sessions.convocation_deadline``), and 15 days before a CCP or CCS
      session; the 2016 values were not read.
    - ``fraud_ban_years``: ban after fraud (U-04: from the 2005 amendment, unsettled).
    - ``habilitation_min_experience_years``: a jury member needs at least three years
      in the job (R-61).
    - ``habilitation_max_years_out_of_job``: and must not have left it for more than
      five years before the habilitation (R-61).
    - ``reapply_ban_max_years``: a withdrawal of approval may ban re-applying for up
      to two years (R-33).
    - ``convention_amendment_free_years``: the yearly amendment of a centre–provider
      convention is not required the year of signature and the next (R-32).
    - ``leave_request_days``: an employed jury member asks the employer for leave at
      least 15 calendar days before the session (R-66, Code du travail L.3142-42 ff.).
    - ``jury_min_members``: a session titre, CCP or CCS has a jury of at least two
      habilitated members, and each candidate is evaluated by at least two members
      free of any link with them (R-63, R-64).
    - ``appeal_months``: a gracious appeal against a jury decision is filed within two
      months of the notification, a délai franc moved past weekends and public
      holidays (R-82, see ``appeals.appeal_last_day``).
    """

    grace_years: int = 1
    resit_years: int = 1
    resit_max_title_sessions: int = 3
    vae_decision_months: int = 2
    vae_admissibility_years: int = 1
    vae_max_same_certification_per_year: int = 1
    vae_max_certifications_per_year: int = 3
    vae_min_experience_months: int = 12
    ccs_min_experience_months: int = 12
    convocation_months_title: int = 1
    convocation_days_ccp_ccs: int = 15
    fraud_ban_years: int = 1
    habilitation_min_experience_years: int = 3
    habilitation_max_years_out_of_job: int = 5
    reapply_ban_max_years: int = 2
    convention_amendment_free_years: int = 2
    leave_request_days: int = 15
    jury_min_members: int = 2
    appeal_months: int = 2


DEFAULT = Parameters()
