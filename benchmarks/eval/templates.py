"""Document templates in the voice of our users. {SLOT}s are filled by values.Values; labelled slots become
gold spans. Each template says which special categories it discloses and whether it is about a child
("dob" = decided by the planted date of birth)."""
from __future__ import annotations

# (kind, text, special categories disclosed, children)
TEMPLATES: list[tuple[str, str, tuple[str, ...], object]] = [
    ("case_note", """CASE NOTE
Client: {PERSON}    DOB: {DOB}
Address: {ADDRESS}
Home visit today. {FIRST} was at home with her mother. {FIRST} has type 1 diabetes and manages her insulin herself.
She told me she has been feeling low and her GP has prescribed sertraline. No history of self-harm.
Next visit booked for {DATE}. Contact mum on {PHONE}.""", ("health",), "dob"),
    ("case_note", """Session notes - {PERSON}
{FIRST} attended the drop-in at {ORG} on {DATE}. He said he was arrested last month and has a court date in
{TOWN} next month. His youth offending team worker is {PERSON2} ({EMAIL2}).
He is 15 years old and in Year 10 at school. No concerns about his physical health.""", ("criminal_offence",), True),
    ("case_note", """Safeguarding record
Young person: {PERSON}, date of birth {DOB}, NHS number {NHS}.
Referred to CAMHS by {PERSON2} after a disclosure at school. Lives with foster carers in {TOWN}.
Worker: {PERSON3}. Tel {PHONE}.""", ("health",), "dob"),
    ("case_note", """Notes from phone call with {PERSON} ({PHONE}).
She has moved from {ABROAD} to {TOWN} with her two children. She is Muslim and asked whether the group meets
during Ramadan. She is a wheelchair user and needs step-free access.
Follow-up e-mail sent to {EMAIL}.""", ("religion", "health"), False),
    ("referral", """Dear {PERSON},

Re: {PERSON2}, born {DOB}

I am writing to refer {FIRST2} to your service. {FIRST2} has a diagnosis of autism and ADHD and has recently
been excluded from school. Mum ({PERSON3}) can be contacted on {PHONE} or at {EMAIL3}.
The family live at {ADDRESS}.

Yours sincerely,
{PERSON4}
Family Support Worker, {ORG}""", ("health",), "dob"),
    ("referral", """REFERRAL FORM
Name of young person: {PERSON}
D.O.B.: {DOB}
NHS No: {NHS}
Address: {ADDRESS}
Parent/carer: {PERSON2}, mobile {PHONE}
Reason for referral: anxiety, low mood, not attending school. No known allergies.
Referrer: {PERSON3}, {EMAIL3}""", ("health",), "dob"),
    ("hr", """Employee record
Name: {PERSON}
Date of birth: {DOB_ADULT}
National Insurance number: {NINO}
Home address: {ADDRESS}
Personal email: {EMAIL}
Mobile: {PHONE}
Bank details: {BANK}
Emergency contact: {PERSON2} ({PHONE2})
Notes: member of UNISON; occupational health referral following sickness absence.""", ("trade_union", "health"), False),
    ("hr", """Dear {FIRST},

Thank you for returning your new starter form. We have recorded your passport number {PASSPORT} for the right
to work check and your driving licence {DL}. Your salary will be paid into account number {ACCOUNT}.

Kind regards,
{PERSON2}
HR Officer""", (), False),
    ("hr", """DISCIPLINARY MEETING - CONFIDENTIAL
Present: {PERSON} (employee), {PERSON2} (manager), {PERSON3} (union rep)
{FIRST} disclosed an unspent conviction for a driving offence in {DATE}. The enhanced DBS check returned a caution.
Decision to be confirmed in writing to {ADDRESS}.""", ("criminal_offence", "trade_union"), False),
    ("donor", """Gift Aid declaration
Donor: {PERSON}
Address: {ADDRESS}
Email: {EMAIL}
Telephone: {PHONE}
I want to Gift Aid my donation of £25 to Bright Futures Trust.
Card number: {CARD}  Expiry 09/27""", (), False),
    ("donor", """Hi {FIRST},

Thanks so much for your standing order. Just to confirm we have your IBAN as {IBAN} and will collect on the
1st of each month. If anything changes, call us on {PHONE} or reply to this email.

Best wishes,
{PERSON2}
Supporter Care""", (), False),
    ("donor", """Legacy pledge: {PERSON} of {TOWN} has told us she intends to leave a gift in her will.
She attends church every Sunday and asked that the gift support the family centre in {TOWN2}.
Contact via her son {PERSON2}, {EMAIL2}.""", ("religion",), False),
    ("email", """From: {PERSON} <{EMAIL}>
To: {PERSON2} <{EMAIL2}>
Subject: {FIRST3} - update

Hi {FIRST2},
Just to let you know {FIRST3} (aged 13) was taken to A&E last night after an asthma attack and is staying in.
Her dad is on {PHONE}. Sorry it is short notice - can we move Thursday's session?
{FIRST}""", ("health",), True),
    ("email", """Hello,

Please find below the login details for the new volunteer portal. The server logged a sign-in from
{IP} for {EMAIL} at 09:14. If this was not you please contact the IT team.

Thanks,
{PERSON}""", (), False),
    ("email", """Hi {FIRST},
Great to meet you at the {TOWN} event. As discussed, I'm happy to be a volunteer mentor. I'm gay and would
love to support the LGBTQ+ youth group. My number is {PHONE}.
{PERSON}""", ("sexual_orientation",), False),
    ("court", """IN THE FAMILY COURT
Case No: {REF}
Between {PERSON} (Applicant) and {PERSON2} (Respondent)
In the matter of {PERSON3} (born {DOB_CHILD})
The Respondent has previous convictions for assault and was sentenced to 18 months in 2019.
The child lives with the Applicant at {ADDRESS}.""", ("criminal_offence",), True),
    ("court", """Witness statement of {PERSON}
I live at {ADDRESS}. I have known the defendant, {PERSON2}, for six years. On {DATE} I saw him outside the
flats in {TOWN}. I have no criminal convictions myself.""", (), False),
    ("us_staff", """Contractor onboarding ({TOWN}, US desk)
Name: {PERSON}
SSN: {SSN}
Email: {EMAIL}
Phone: {PHONE}""", (), False),
    ("eu_staff", """Volunteer abroad - {PERSON}
Spanish DNI {ES_NIF}; Irish PPSN {PPSN}; Dutch BSN {NL_BSN}
Based in {ABROAD}; contact {EMAIL}.""", (), False),
    ("lookalike", """Order confirmation
Order ref {BAD_NHS} dispatched on {DATE}. Payment reference {REF}.
Test card used in training: {BAD_CARD}. Invoice date {DATE2}.
Questions? Contact {ORG} customer services.""", (), False),
    ("lookalike", """Stock list
Item 4402-{ORDER} printer toner x 3
Room booking: Meeting Room 2, {DATE}, 10:00-12:00
Version 10.2.1.4 installed on all laptops.
Ticket {BAD_NHS} closed.""", (), False),
    # Other voices: a text message, a social post, a formal letter, a form, a handover e-mail, a court-style summary.
    ("sms", """hi its {FIRST} from the youth club!! can u ring me back on {PHONE} when ur free. my
{REF_LABEL} is {REF} if they ask x""", (), False),
    ("post", """shoutout to {PERSON} who organised the bake sale in {TOWN} today, raised loads!! if anyone wants to
help next time message her on {PHONE} or {EMAIL}""", (), False),
    ("letter", """{ORG}
{ADDRESS}

Dear {PERSON},

Thank you for your application. Please quote {REF_LABEL} {REF} in any correspondence. We will write to you at
the address above, or call you on {PHONE}, once the panel has met.

Yours faithfully,
{PERSON2}""", (), False),
    ("form", """VOLUNTEER APPLICATION
Full name: {PERSON}
Date of birth: {DOB_ADULT}
Home address: {ADDRESS}
Telephone: {PHONE}
Email: {EMAIL}
{REF_LABEL} {REF}""", (), False),
    ("email", """Hi team,

Handing over {PERSON}'s case while I am on leave. She moved to {ABROAD} last month and her new number there is
{PHONE}. Her NHS number is {NHS}. Mum can be reached on {PHONE2}.

The {REF_LABEL} {REF} is on the file. Any problems, ask {PERSON2}.""", ("health",), False),
    ("summary", """Summary of proceedings
The applicant, {PERSON}, born in {TOWN}, lodged the complaint under {REF_LABEL} {REF}. The respondent was
represented by {ORG}. On {DATE} the panel heard evidence from {PERSON2}.

On {DATE2} the applicant moved to {ABROAD}.""", (), False),
    ("policy", """Data Protection Policy (extract)
We may collect special category data such as health, religion or belief, ethnic origin, sexual orientation
and trade union membership, and criminal offence data, only where the law allows. Staff must complete data
protection training every year. Information about a child's mental health is shared only with consent.
Questions about this policy go to the Data Protection Officer.""", (), False),
    ("policy", """EQUAL OPPORTUNITIES MONITORING FORM (blank template)
Ethnic origin: please tick one box. Religion or belief: please state, or prefer not to say.
Sexual orientation: prefer not to say / heterosexual / gay or lesbian / bisexual.
Do you consider yourself to have a disability? Yes / No / Prefer not to say.""", (), False),
    ("policy", """Autism awareness training for staff
The session covers communication, sensory needs and how to adapt activities. Book through the
learning portal before {DATE}.""", (), False),
]
