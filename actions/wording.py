"""Fixed sentences the topic answers start or end with. Plain English, GSM-7, checked by tests.

A sentence that states a fact is a claim from facts.yml, where its source is kept."""

from actions.facts import say

MENTAL_HEALTH_INTRO = "For stress, worry or low mood, NHS Talking Therapies can help. Ask your GP."
MENTAL_HEALTH_OUTRO = say("mental_health_worse_short", "in_danger_999")
# GP access in the order to try: the practice, 111 when it is closed, a pharmacist. A&E is for
# emergencies only, so it is not offered here (actions/urgent.py sends 999 for those).
GP_INTRO = say("gp_contact_practice", "gp_closed_111", "gp_pharmacy_first", "gp_no_documents")
GP_NEAREST = "Near you:"
DENTIST_INTRO = say("dentist_pain_111", "dentist_free_care")
SCREENING_ASK = ("Which screening do you mean? Reply BOWEL, BREAST, CERVICAL, AAA, "
                 "HEALTH CHECK, EYE or LUNG.")
COMMUNITY_INTRO = {
    "food": "Help with food:",
    "warmth": "Help to keep warm:",
    "money": "Help with money and debt:",
    "housing": "Help with housing:",
    "carers": "Help for carers:",
    "loneliness": "If you feel lonely:",
    "domestic_abuse": "If you are not safe at home, call 999 in an emergency. Help:",
    "digital": "Help to get online:",
    "youth": "For children and young people:",
    "older_people": "For older people:",
    "volunteering": "To volunteer:",
    "social_prescribing": "Local groups and activities:",
    "community_anchor": "Local community groups:",
    "hospice": "Hospice and end of life care:",
    "bereavement": "Help after someone dies:",
    "alcohol_drugs": "Help with alcohol or drugs:",
    "gambling": "Help with gambling:",
    "disability": "Help for disabled people:",
    "stop_smoking": "Help to stop smoking:",
    "maternity": "Pregnancy and birth:",
    "dementia": "Help with dementia:",
    "complaints": "To give feedback or complain:",
    "community": "Local help:",
}
ANCHOR = "Community Anchor:"
CRISIS_NEAR_YOU = "Open now near you:"
CRISIS_SEND_TOWN = "Send your town or postcode for help near you."
CRISIS_SPACES = "Safe places to go in a crisis, and when they open:"
# After the crisis contacts, for a need that is not a community one.
CRISIS_ALSO = {
    "mental_health": "For low mood, worry or stress:",
    "gp": "For a GP:",
    "dentist": "For a dentist:",
}
CRISIS_IN_AREA = "Open now in Kirklees and Calderdale:"
MORE_NONE = "That is all I have for that. Text HELP to see the menu."
NOTHING_FOUND = "Sorry, I found nothing for that here. " + say("nhs_111_nothing_found")

# Sent before "which town?" when the text sounds urgent (actions/urgent.py).
URGENT_FIRST = {
    "emergency": say("urgent_emergency"),
    "child_ill": say("urgent_child"),
    "dental_pain": say("urgent_dental"),
}
